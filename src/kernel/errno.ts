/** The errno values the simulated kernel returns (negated, as the kernel does). */
export const EPERM = 1;
export const ENOENT = 2;
export const EIO = 5;
export const ENXIO = 6;
export const ENOMEM = 12;
export const EACCES = 13;
export const EBUSY = 16;
export const ENODEV = 19;
export const EINVAL = 22;
export const ENOSYS = 38;
export const EOPNOTSUPP = 95;
export const EPROBE_DEFER = 517;
export const ENOTSUPP = 524;

/** IS_ERR_VALUE for the numbers this simulator returns in place of ERR_PTR. */
export function isErr(v: unknown): v is number {
  return typeof v === 'number' && v < 0;
}
