import { DmaTransferDirection } from '../../dmaengine/types.js';

/**
 * include/linux/dma/qcom_bam_dma.h: what a BAM client (QCE, NAND) builds its command
 * descriptors and its pipe-lock metadata with. A client imports this header, not the
 * driver.
 */

/** enum bam_command_type. */
export const BamCommandType = { BAM_WRITE_COMMAND: 0, BAM_READ_COMMAND: 1 } as const;
export type BamCommandType = (typeof BamCommandType)[keyof typeof BamCommandType];

/**
 * struct bam_cmd_element, 16 bytes: cmd_and_addr (the register address in bits 0-23, the
 * command in 24-31), data (the value to write, or for a READ the address the value goes
 * to), mask and a reserved word.
 */
export const BAM_CE_SIZE = 16;
export const BAM_CE_ADDR_MASK = 0xffffff;

/**
 * bam_prep_ce_le32(): fills the command element at arena address `ce` (16 bytes, 4-aligned).
 * @param addr the peripheral register's address (24 bits, as the hardware decodes it)
 */
export function bamPrepCeLe32(
  words: Int32Array,
  ce: number,
  addr: number,
  cmd: BamCommandType,
  data: number,
): void {
  if ((addr & ~BAM_CE_ADDR_MASK) !== 0) {
    throw new RangeError(`bam_prep_ce: register address 0x${addr.toString(16)} is above 24 bits`);
  }
  const w = ce >> 2;
  words[w] = (addr & BAM_CE_ADDR_MASK) | (cmd << 24);
  words[w + 1] = data;
  words[w + 2] = -1;
  words[w + 3] = 0;
}

/**
 * struct bam_desc_metadata (v21): where the LOCK and UNLOCK descriptors' dummy write goes
 * (a scratchpad register of the client's peripheral) and the direction of the pipe it locks.
 * A client attaches it with dmaengine_desc_attach_metadata() as 8 bytes at an arena address.
 */
export const BAM_DESC_METADATA_SIZE = 8;

/** Writes a struct bam_desc_metadata at arena address `at`. */
export function bamDescMetadata(
  words: Int32Array,
  at: number,
  scratchpadAddr: number,
  direction: DmaTransferDirection = DmaTransferDirection.DMA_MEM_TO_DEV,
): void {
  words[at >> 2] = scratchpadAddr;
  words[(at >> 2) + 1] = direction;
}
