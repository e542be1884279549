// SPDX-License-Identifier: GPL-2.0+
/*
 * The DMA Rx path of the 8250 UART (drivers/tty/serial/8250/8250_dma.c, with the part of
 * 8250_port.c that calls it), as it was before "serial: 8250_dma: Fix DMA Rx completion
 * race" (31352811e13d). -DFIXED applies that commit.
 *
 * __dma_rx_complete() pushes what the DMA transfer received up to the tty. Two paths
 * reach it: the DMA completion callback dma_rx_complete() (the channel's tasklet, here
 * on cpu0), and serial8250_rx_dma_flush() from the UART interrupt on an Rx timeout
 * (cpu1), which holds port->lock. Before the fix the callback called it without the
 * lock: when the Rx timeout comes while the completed transfer's callback is on its way,
 * both see rx_running set and both push the same rx_size bytes.
 *
 * The UART is fifo0: its stream is one message of --bytes, its DONE interrupt stands for
 * UART_IIR_RX_TIMEOUT and OVERRUN for UART_IIR_RLSI. Run it with a message a few characters
 * longer than the DMA buffer (rx_size: 256, or -DRX_SIZE=n), e.g. --bytes 260: the
 * transfer fills the buffer and completes, the last characters stay in the FIFO below the
 * DMA request level, and the Rx timeout that follows finds them: the window the race
 * needs. A fast line (--rate 2048) makes that timeout come before the callback's tasklet.
 */
#include <linux/kernel.h>
#include <linux/completion.h>
#include <linux/dmaengine.h>
#include <linux/dma-mapping.h>
#include <linux/interrupt.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <dmasim.h>

#define PAGE_SIZE 4096
#ifndef RX_SIZE
#define RX_SIZE 256
#endif

#define UART_NAME "fifo0"

#ifndef fallthrough
#define fallthrough __attribute__((__fallthrough__))
#endif

/* include/uapi/linux/serial_reg.h: the IIR and LSR values this model uses. */
#define UART_IIR_NO_INT 0x01
#define UART_IIR_RDI 0x04
#define UART_IIR_RLSI 0x06
#define UART_IIR_RX_TIMEOUT 0x0c
#define UART_LSR_DR 0x01

/* The tty layer, reduced to its flip buffer: what the line discipline would read. */
struct tty_port {
	unsigned char *buf;
	unsigned int size;
	unsigned int count;
};

struct uart_icount {
	u32 rx;
	u32 overrun;
};

struct uart_state {
	struct tty_port port;
};

struct uart_port {
	spinlock_t lock;
	unsigned int irq;
	struct uart_icount icount;
	struct uart_state *state;
};

struct uart_8250_port;

struct uart_8250_dma {
	int (*rx_dma)(struct uart_8250_port *p);
	struct dma_slave_config rxconf;
	struct dma_chan *rxchan;
	size_t rx_size;
	dma_addr_t rx_addr;
	dma_cookie_t rx_cookie;
	unsigned char *rx_buf;
	unsigned char rx_running;
};

struct uart_8250_port {
	struct uart_port port;
	struct uart_8250_dma *dma;
	/* The model's: the Rx timeout a reader of the tty waits for. */
	struct completion rx_timeout;
};

static struct uart_8250_port *serial8250_port;

static int tty_insert_flip_string(struct tty_port *port, const unsigned char *chars, size_t size)
{
	size_t n = min(size, (size_t)(port->size - port->count));

	memcpy(port->buf + port->count, chars, n);
	port->count += n;
	return n;
}

static int tty_insert_flip_char(struct tty_port *port, unsigned char ch)
{
	return tty_insert_flip_string(port, &ch, 1);
}

/* Hands the buffer to the line discipline; the model keeps the bytes to compare them. */
static void tty_flip_buffer_push(struct tty_port *port)
{
}

/* LSR as the driver reads it: DR while the receiver's FIFO holds a character. */
static u16 serial_lsr_in(struct uart_8250_port *up)
{
	return dmasim_fifo_level(UART_NAME) ? UART_LSR_DR : 0;
}

static void __dma_rx_complete(struct uart_8250_port *p)
{
	struct uart_8250_dma *dma = p->dma;
	struct tty_port *tty_port = &p->port.state->port;
	struct dma_tx_state state;
	int count;

	dma->rx_running = 0;
	dmaengine_tx_status(dma->rxchan, dma->rx_cookie, &state);

	count = dma->rx_size - state.residue;

	tty_insert_flip_string(tty_port, dma->rx_buf, count);
	p->port.icount.rx += count;

	tty_flip_buffer_push(tty_port);
}

static void dma_rx_complete(void *param)
{
	struct uart_8250_port *p = param;
	struct uart_8250_dma *dma = p->dma;
	unsigned long flags;

#ifndef FIXED
	/* Without port->lock: serial8250_rx_dma_flush() may be completing the same transfer. */
	__dma_rx_complete(p);

	spin_lock_irqsave(&p->port.lock, flags);
#else
	spin_lock_irqsave(&p->port.lock, flags);
	/* A flush that got the lock first has completed this transfer already. */
	if (dma->rx_running)
		__dma_rx_complete(p);
#endif
	/* Checked apart from the above: __dma_rx_complete() clears rx_running. */
	if (!dma->rx_running && (serial_lsr_in(p) & UART_LSR_DR))
		p->dma->rx_dma(p);
	spin_unlock_irqrestore(&p->port.lock, flags);
}

/* Context: port->lock held. */
int serial8250_rx_dma(struct uart_8250_port *p)
{
	struct uart_8250_dma *dma = p->dma;
	struct dma_async_tx_descriptor *desc;

	lockdep_assert_held(&p->port.lock);

	if (dma->rx_running)
		return 0;

	desc = dmaengine_prep_slave_single(dma->rxchan, dma->rx_addr, dma->rx_size,
					   DMA_DEV_TO_MEM, DMA_PREP_INTERRUPT | DMA_CTRL_ACK);
	if (!desc)
		return -EBUSY;

	dma->rx_running = 1;
	desc->callback = dma_rx_complete;
	desc->callback_param = p;

	dma->rx_cookie = dmaengine_submit(desc);

	dma_async_issue_pending(dma->rxchan);

	return 0;
}

/* Context: port->lock held (the UART interrupt). */
void serial8250_rx_dma_flush(struct uart_8250_port *p)
{
	struct uart_8250_dma *dma = p->dma;

	lockdep_assert_held(&p->port.lock);

	if (dma->rx_running) {
		dmaengine_pause(dma->rxchan);
		__dma_rx_complete(p);
		dmaengine_terminate_async(dma->rxchan);
	}
}

/* PIO: what DMA left in the FIFO goes up a character at a time. */
static u16 serial8250_rx_chars(struct uart_8250_port *up, u16 lsr)
{
	struct tty_port *tty_port = &up->port.state->port;
	int max_count = 256;
	int ch;

	do {
		ch = dmasim_fifo_read(UART_NAME);
		if (ch < 0)
			break;
		up->port.icount.rx++;
		tty_insert_flip_char(tty_port, ch);
		lsr = serial_lsr_in(up);
	} while (lsr & UART_LSR_DR && --max_count > 0);

	tty_flip_buffer_push(tty_port);
	return lsr;
}

static bool handle_rx_dma(struct uart_8250_port *up, unsigned int iir)
{
	switch (iir & 0x3f) {
	case UART_IIR_RDI:
		if (!up->dma->rx_running)
			break;
		fallthrough;
	case UART_IIR_RLSI:
	case UART_IIR_RX_TIMEOUT:
		serial8250_rx_dma_flush(up);
		return true;
	}
	return up->dma->rx_dma(up);
}

static int serial8250_handle_irq(struct uart_port *port, unsigned int iir)
{
	struct uart_8250_port *up = container_of(port, struct uart_8250_port, port);
	unsigned long flags;
	u16 status;

	if (iir & UART_IIR_NO_INT)
		return 0;

	spin_lock_irqsave(&port->lock, flags);

	status = serial_lsr_in(up);
	if (status & UART_LSR_DR) {
		if (!up->dma || handle_rx_dma(up, iir))
			status = serial8250_rx_chars(up, status);
	}

	spin_unlock_irqrestore(&port->lock, flags);
	return 1;
}

/*
 * IIR as fifo0 says it: DONE (the stream ended: the line went quiet) is the Rx timeout,
 * OVERRUN a line status interrupt. Reading IIR acknowledges what it reports.
 */
static unsigned int serial_port_in_iir(struct uart_port *port)
{
	u32 st = dmasim_fifo_status(UART_NAME);

	if (st & DMASIM_FIFO_OVERRUN) {
		dmasim_fifo_ack(UART_NAME, DMASIM_FIFO_OVERRUN);
		port->icount.overrun++;
		return UART_IIR_RLSI;
	}
	if (st & DMASIM_FIFO_DONE) {
		dmasim_fifo_ack(UART_NAME, DMASIM_FIFO_DONE);
		return UART_IIR_RX_TIMEOUT;
	}
	return UART_IIR_NO_INT;
}

/* Until IIR says no more: one line carries both causes. */
static irqreturn_t serial8250_interrupt(int irq, void *dev_id)
{
	struct uart_8250_port *up = dev_id;
	unsigned int iir;
	int handled = 0;

	while ((iir = serial_port_in_iir(&up->port)) != UART_IIR_NO_INT) {
		handled |= serial8250_handle_irq(&up->port, iir);
		if (iir == UART_IIR_RX_TIMEOUT)
			complete(&up->rx_timeout);
	}
	return handled ? IRQ_HANDLED : IRQ_NONE;
}

int serial8250_request_dma(struct uart_8250_port *p)
{
	struct uart_8250_dma *dma = p->dma;

	dma->rxconf.direction = DMA_DEV_TO_MEM;
	dma->rxconf.src_addr = dmasim_fifo_data_addr(UART_NAME);
	dma->rxconf.src_addr_width = DMA_SLAVE_BUSWIDTH_1_BYTE;
	dma->rxconf.src_maxburst = 16;

	dma->rxchan = dma_request_chan(NULL, "dma0chan0");
	if (IS_ERR(dma->rxchan))
		return PTR_ERR(dma->rxchan);
	dmaengine_slave_config(dma->rxchan, &dma->rxconf);

	if (!dma->rx_size)
		dma->rx_size = PAGE_SIZE;
	dma->rx_buf = dma_alloc_coherent(dmaengine_get_dma_device(dma->rxchan), dma->rx_size,
					 &dma->rx_addr, GFP_KERNEL);
	if (!dma->rx_buf) {
		dma_release_channel(dma->rxchan);
		return -ENOMEM;
	}
	return 0;
}

void serial8250_release_dma(struct uart_8250_port *p)
{
	struct uart_8250_dma *dma = p->dma;

	/* Waits for a callback on its way: after this nothing touches the port. */
	dmaengine_terminate_sync(dma->rxchan);
	dma_free_coherent(dmaengine_get_dma_device(dma->rxchan), dma->rx_size, dma->rx_buf,
			  dma->rx_addr);
	dma_release_channel(dma->rxchan);
}

/* serial8250_startup() for this port: DMA, the interrupt, the first DMA Rx, the receiver. */
static int serial8250_probe(void)
{
	unsigned int bytes = dmasim_param("bytes", PAGE_SIZE);
	struct uart_8250_port *up;
	struct tty_port *tty;
	unsigned long flags;
	int ret;

	up = kzalloc(sizeof(*up), GFP_KERNEL);
	if (!up)
		return -ENOMEM;
	up->dma = kzalloc(sizeof(*up->dma), GFP_KERNEL);
	up->port.state = kzalloc(sizeof(*up->port.state), GFP_KERNEL);
	if (!up->dma || !up->port.state)
		return -ENOMEM;
	spin_lock_init(&up->port.lock);
	init_completion(&up->rx_timeout);

	/* Room for the message twice: a duplicate shows as more bytes, not as a clipped copy. */
	tty = &up->port.state->port;
	tty->size = 2 * bytes + RX_SIZE;
	tty->buf = kzalloc(tty->size, GFP_KERNEL);
	if (!tty->buf)
		return -ENOMEM;

	up->dma->rx_size = RX_SIZE;
	up->dma->rx_dma = serial8250_rx_dma;
	ret = serial8250_request_dma(up);
	if (ret)
		return ret;

	up->port.irq = dmasim_fifo_irq(UART_NAME);
	ret = request_irq(up->port.irq, serial8250_interrupt, IRQF_SHARED, "ttyS0", up);
	if (ret)
		return ret;

	spin_lock_irqsave(&up->port.lock, flags);
	up->dma->rx_dma(up);
	spin_unlock_irqrestore(&up->port.lock, flags);

	serial8250_port = up;
	dmasim_fifo_enable(UART_NAME, 1);
	pr_info("ttyS0: DMA Rx of %u bytes, %u-byte message\n", (unsigned int)RX_SIZE, bytes);
	return 0;
}

/* cpu0 reads the tty: it waits for the message to end. The other CPUs only take interrupts. */
static int serial8250_reader(int cpu)
{
	if (cpu != 0)
		return 0;
	if (!wait_for_completion_timeout(&serial8250_port->rx_timeout, msecs_to_jiffies(60000))) {
		pr_err("ttyS0: no Rx timeout within 60 s\n");
		return -ETIMEDOUT;
	}
	return 0;
}

/* serial8250_shutdown(), then the tty's bytes against the stream fifo0 sent. */
static void serial8250_remove(void)
{
	struct uart_8250_port *up = serial8250_port;
	unsigned int sent = dmasim_param("bytes", PAGE_SIZE);
	struct tty_port *tty;
	unsigned int got, icount, diff;
	unsigned long flags;

	if (!up)
		return;
	tty = &up->port.state->port;
	free_irq(up->port.irq, up);
	serial8250_release_dma(up);

	spin_lock_irqsave(&up->port.lock, flags);
	got = tty->count;
	icount = up->port.icount.rx;
	for (diff = 0; diff < min(got, sent); diff++)
		if (tty->buf[diff] != dmasim_fifo_stream_byte(diff))
			break;
	spin_unlock_irqrestore(&up->port.lock, flags);

	pr_info("ttyS0: sent %u, received %u (icount.rx %u)\n", sent, got, icount);
	if (got > sent)
		dmasim_report("uart-rx-duplicate",
			      "ttyS0: the UART sent %u bytes, the tty got %u; first wrong byte at %u",
			      sent, got, diff);
	else if (got < sent)
		dmasim_report("uart-rx-lost",
			      "ttyS0: the UART sent %u bytes, the tty got %u; first wrong byte at %u",
			      sent, got, diff);
	else if (diff < sent)
		dmasim_report("uart-rx-corrupt", "ttyS0: byte %u differs from the stream's", diff);

	kfree(tty->buf);
	kfree(up->port.state);
	kfree(up->dma);
	kfree(up);
	serial8250_port = NULL;
}

DMASIM_PROBE(serial8250_probe);
DMASIM_CPU(serial8250_reader);
DMASIM_REMOVE(serial8250_remove);
