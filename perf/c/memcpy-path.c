// The bench's C driver: each CPU copies `iterations` buffers through one memcpy channel,
// each waited for with a completion its callback completes, counted under a lock. The
// same path in TypeScript: perf/memcpy-path.ts.
#include <linux/kernel.h>
#include <linux/dmaengine.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/completion.h>
#include <linux/string.h>
#include <dmasim.h>

static struct dma_chan *chan;
static DEFINE_SPINLOCK(stats_lock);
static int transfers;

struct xfer {
	struct completion done;
};

static void xfer_done(void *param)
{
	struct xfer *x = param;

	complete(&x->done);
}

static int path_probe(void)
{
	dma_cap_mask_t mask;

	dma_cap_zero(&mask);
	dma_cap_set(DMA_MEMCPY, &mask);
	chan = dma_request_chan_by_mask(&mask);
	return IS_ERR(chan) ? PTR_ERR(chan) : 0;
}

static int path_cpu(int cpu)
{
	int n = dmasim_param("iterations", 100);
	int len = 64;
	u8 *src = kmalloc(len, GFP_KERNEL);
	u8 *dst = kmalloc(len, GFP_KERNEL);
	struct xfer *x = kzalloc(sizeof(*x), GFP_KERNEL);

	for (int i = 0; i < n; i++) {
		struct dma_async_tx_descriptor *tx;

		memset(src, (u8)(i + cpu), len);
		tx = dmaengine_prep_dma_memcpy(chan, (dma_addr_t)dst, (dma_addr_t)src, len,
					       DMA_PREP_INTERRUPT | DMA_CTRL_ACK);
		if (!tx)
			return -ENOMEM;
		init_completion(&x->done);
		tx->callback = xfer_done;
		tx->callback_param = x;
		dmaengine_submit(tx);
		dma_async_issue_pending(chan);
		if (!wait_for_completion_timeout(&x->done, msecs_to_jiffies(10000)))
			return -ETIMEDOUT;
		if (memcmp(src, dst, len) != 0)
			dmasim_report("copy-mismatch", "cpu%d: copy %d differs", cpu, i);
		spin_lock_bh(&stats_lock);
		transfers++;
		spin_unlock_bh(&stats_lock);
	}
	kfree(x);
	kfree(src);
	kfree(dst);
	return n;
}

DMASIM_PROBE(path_probe);
DMASIM_CPU(path_cpu);
