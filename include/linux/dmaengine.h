/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The consumer side of include/linux/dmaengine.h, for a client driver compiled to wasm32.
 * Every function is dmasim's kernel: a channel is the simulated controller's, a transfer
 * really moves arena bytes, callbacks run in the channel's tasklet on its irq CPU.
 */
#ifndef _LINUX_DMAENGINE_H
#define _LINUX_DMAENGINE_H

#include <linux/types.h>
#include <linux/device.h>
#include <linux/err.h>

enum dma_status {
	DMA_COMPLETE,
	DMA_IN_PROGRESS,
	DMA_PAUSED,
	DMA_ERROR,
	DMA_OUT_OF_ORDER,
};

enum dma_transaction_type {
	DMA_MEMCPY,
	DMA_XOR,
	DMA_PQ,
	DMA_XOR_VAL,
	DMA_PQ_VAL,
	DMA_MEMSET,
	DMA_MEMSET_SG,
	DMA_INTERRUPT,
	DMA_PRIVATE,
	DMA_ASYNC_TX,
	DMA_SLAVE,
	DMA_CYCLIC,
	DMA_INTERLEAVE,
	DMA_COMPLETION_NO_ORDER,
	DMA_REPEAT,
	DMA_LOAD_EOT,
	DMA_TX_TYPE_END,
};

enum dma_transfer_direction {
	DMA_MEM_TO_MEM,
	DMA_MEM_TO_DEV,
	DMA_DEV_TO_MEM,
	DMA_DEV_TO_DEV,
	DMA_TRANS_NONE,
};

enum dma_ctrl_flags {
	DMA_PREP_INTERRUPT = (1 << 0),
	DMA_CTRL_ACK = (1 << 1),
	DMA_PREP_PQ_DISABLE_P = (1 << 2),
	DMA_PREP_PQ_DISABLE_Q = (1 << 3),
	DMA_PREP_CONTINUE = (1 << 4),
	DMA_PREP_FENCE = (1 << 5),
	DMA_CTRL_REUSE = (1 << 6),
	DMA_PREP_CMD = (1 << 7),
	DMA_PREP_REPEAT = (1 << 8),
	DMA_PREP_LOAD_EOT = (1 << 9),
};

enum dma_slave_buswidth {
	DMA_SLAVE_BUSWIDTH_UNDEFINED = 0,
	DMA_SLAVE_BUSWIDTH_1_BYTE = 1,
	DMA_SLAVE_BUSWIDTH_2_BYTES = 2,
	DMA_SLAVE_BUSWIDTH_4_BYTES = 4,
	DMA_SLAVE_BUSWIDTH_8_BYTES = 8,
};

enum dmaengine_tx_result {
	DMA_TRANS_NOERROR = 0,
	DMA_TRANS_READ_FAILED,
	DMA_TRANS_WRITE_FAILED,
	DMA_TRANS_ABORTED,
};

struct dmaengine_result {
	enum dmaengine_tx_result result;
	u32 residue;
};

typedef void (*dma_async_tx_callback)(void *dma_async_param);
typedef void (*dma_async_tx_callback_result)(void *dma_async_param,
					     const struct dmaengine_result *result);

/* Opaque: a handle to one of the run's channels. */
struct dma_chan;

/*
 * What a client sees of a prepared descriptor: set callback (or callback_result) and
 * callback_param before dmaengine_submit(), as the kernel's client does.
 */
struct dma_async_tx_descriptor {
	dma_cookie_t cookie;
	enum dma_ctrl_flags flags;
	struct dma_chan *chan;
	dma_async_tx_callback callback;
	dma_async_tx_callback_result callback_result;
	void *callback_param;
};

struct dma_slave_config {
	enum dma_transfer_direction direction;
	phys_addr_t src_addr;
	phys_addr_t dst_addr;
	enum dma_slave_buswidth src_addr_width;
	enum dma_slave_buswidth dst_addr_width;
	u32 src_maxburst;
	u32 dst_maxburst;
	u32 src_port_window_size;
	u32 dst_port_window_size;
	bool device_fc;
	void *peripheral_config;
	size_t peripheral_size;
};

struct dma_tx_state {
	dma_cookie_t last;
	dma_cookie_t used;
	u32 residue;
	u32 in_flight_bytes;
};

typedef struct {
	unsigned long bits[1];
} dma_cap_mask_t;

static inline void dma_cap_zero(dma_cap_mask_t *mask) { mask->bits[0] = 0; }
static inline void dma_cap_set(enum dma_transaction_type tx_type, dma_cap_mask_t *mask)
{
	mask->bits[0] |= 1ul << tx_type;
}

/* Channels: a name the machine gives (`dma0chan0`), or any channel with the capabilities. */
struct dma_chan *dma_request_chan(struct device *dev, const char *name);
struct dma_chan *dma_request_chan_by_mask(const dma_cap_mask_t *mask);
void dma_release_channel(struct dma_chan *chan);
struct device *dmaengine_get_dma_device(struct dma_chan *chan);

int dmaengine_slave_config(struct dma_chan *chan, struct dma_slave_config *config);
struct dma_async_tx_descriptor *dmaengine_prep_slave_single(struct dma_chan *chan, dma_addr_t buf,
							    size_t len,
							    enum dma_transfer_direction dir,
							    unsigned long flags);
struct dma_async_tx_descriptor *dmaengine_prep_dma_memcpy(struct dma_chan *chan, dma_addr_t dest,
							  dma_addr_t src, size_t len,
							  unsigned long flags);
dma_cookie_t dmaengine_submit(struct dma_async_tx_descriptor *desc);
void dma_async_issue_pending(struct dma_chan *chan);
enum dma_status dmaengine_tx_status(struct dma_chan *chan, dma_cookie_t cookie,
				    struct dma_tx_state *state);
enum dma_status dma_sync_wait(struct dma_chan *chan, dma_cookie_t cookie);
int dmaengine_pause(struct dma_chan *chan);
int dmaengine_resume(struct dma_chan *chan);
int dmaengine_terminate_async(struct dma_chan *chan);
int dmaengine_terminate_sync(struct dma_chan *chan);
void dmaengine_synchronize(struct dma_chan *chan);

static inline int dma_submit_error(dma_cookie_t cookie) { return cookie < 0 ? cookie : 0; }

static inline enum dma_status dma_async_is_tx_complete(struct dma_chan *chan, dma_cookie_t cookie,
						       dma_cookie_t *last, dma_cookie_t *used)
{
	struct dma_tx_state state;
	enum dma_status status = dmaengine_tx_status(chan, cookie, &state);

	if (last)
		*last = state.last;
	if (used)
		*used = state.used;
	return status;
}

#endif
