// dmasim's public surface: everything the CLI uses, and what a user needs to script runs,
// subscribe to events and write checkers. Named exports only.
export { startRun, runScenario } from './host/run.js';
export { checkRun } from './host/check-run.js';
export type { RunHandle } from './host/run.js';
export type { ActorUsage, RunResult, RunStats, ScheduleStats } from './host/result.js';
export { replay } from './host/replay.js';
export type { ReplayOutcome } from './host/replay.js';
export { readReplayFile, writeReplayFile } from './host/replay-file.js';
export { runStem } from './host/run-name.js';
export type { ReplayFile } from './host/replay-file.js';
export { SCHED_MODES, STRATEGIES } from './shm/sched-struct.js';
export type { SchedModeName, StrategyName } from './shm/sched-struct.js';
export { POINT_LABELS } from './sched/labels.js';
export { shutdownActorPool } from './host/pool.js';
export { SCENARIOS, getScenario } from './scenarios/registry.js';
export { COMPOSITES, getComposite, getScenarioOrComposite } from './composites/registry.js';
export type { CompositeResult, CompositeScenario } from './composites/composite.js';
export { VARIANTS as SAFE_PREP_VARIANTS, cellOk } from './composites/safe-prep-matrix.js';
export type { MatrixCell } from './composites/safe-prep-matrix.js';
export type { Scenario, ScenarioPlan } from './scenarios/scenario.js';
export type { Checker } from './scenarios/checkers.js';
export type { ParamDef, ParamKind } from './platform/param-schema.js';
export { RUN_OPTION_DEFS } from './scenarios/run-options.js';
export {
  PROVIDERS,
  resolveProvider,
  scenarioOptionDefs,
  scenarioProviders,
} from './providers/registry.js';
export type { EngineEnv, ProbeEnv, ProviderModule, WordLayout } from './platform/provider.js';
export { chanState, probeChan } from './platform/provider.js';
export { everyController } from './platform/devices.js';
export {
  engineIdle,
  engineRunning,
  hardwareDelayUntil,
  ringDoorbell,
} from './platform/engine-idle.js';
export { PERIPHERALS, resolvePeripheral } from './peripherals/registry.js';
export type {
  PeripheralEnv,
  PeripheralModule,
  PeripheralUse,
  PortPlan,
} from './platform/peripheral.js';
export { DmaPort, PORT, portWords } from './platform/dma-port.js';
export { findPeripheral } from './platform/peripherals.js';
export type { PeripheralHandle } from './platform/peripherals.js';
export { fifoPeripheral } from './peripherals/fifo/peripheral.js';
export type { FifoOptions } from './peripherals/fifo/fifo.js';
export { FIFO_REGS, FifoCtrl, FifoStatus, fifoStreamByte } from './peripherals/fifo/regs.js';
export { qcePeripheral } from './peripherals/qce/peripheral.js';
export type { QceOptions } from './peripherals/qce/qce.js';
export { QCE_REGS, QceStatus, qceDigest } from './peripherals/qce/regs.js';
export { writel, readl } from './platform/mmio.js';
export type { MmioAccess, MmioDevice, MmioHandler } from './platform/mmio.js';
export {
  IrqReturn,
  defineIrqHandler,
  freeIrqHandler,
  requestIrqHandler,
} from './kernel/irq-handlers.js';
export type { DefinedIrqHandler } from './kernel/irq-handlers.js';
// What a provider is written with: virt-dma, cookies, descriptor slots, irqs and tasklets.
export {
  vchanCookieComplete,
  vchanComplete,
  vchanDmaDescFreeList,
  vchanFindDesc,
  vchanGetAllDescriptors,
  vchanInit,
  vchanIssuePending,
  vchanNextDesc,
  vchanStartDesc,
  vchanSynchronize,
  vchanTerminateVdesc,
  vchanTxPrep,
  vchanTxSubmit,
} from './dmaengine/virt-dma.js';
export { dmaCookieStatus } from './dmaengine/cookie.js';
export { descBase } from './dmaengine/vchan-list.js';
export { DESC, DESC_EXT_WORDS, DescriptorPool } from './shm/descriptor-pool.js';
export { requestIrq } from './kernel/interrupts.js';
export { raiseIrq } from './kernel/cpu.js';
export type { DeviceSpec, PeripheralSpec, MachineSpec } from './shm/machine.js';
export type { Machine } from './shm/machine.js';
export { Point } from './sched/labels.js';
export { WaitFlag } from './sched/wait-spec.js';
export type { ControllerUse } from './platform/devices.js';
export { vdmaProvider } from './providers/vdma/provider.js';
export type { VdmaOptions, ResidueGranularity } from './providers/vdma/options.js';
export { bamProvider } from './providers/bam/provider.js';
export type { BamOptions } from './providers/bam/options.js';
export {
  BAM_CE_SIZE,
  BAM_DESC_METADATA_SIZE,
  BamCommandType,
  bamDescMetadata,
  bamPrepCeLe32,
} from './providers/bam/qcom-bam-dma.js';
export { BREG, PIPE, DescFlag } from './providers/bam/regs.js';
export { pipeLockFigures, bamTotals } from './providers/bam/lock-figures.js';
export { CAMPAIGN_OPTION_DEFS } from './campaign/options.js';
export type { CampaignOptions } from './campaign/options.js';
export { runCampaign } from './campaign/campaign.js';
export type { CampaignControl, CampaignProgress } from './campaign/campaign.js';
export { mergeSummaries } from './campaign/merge.js';
export type { CampaignSummary, DistinctFailure, FirstFailure } from './campaign/summary.js';
export { violationSignature } from './campaign/signature.js';
export type { RunControl } from './host/run.js';
export { SHRINK_OPTION_DEFS } from './shrink/options.js';
export { PROFILE_OPTION_DEFS, PROFILE_TOOLS, resolveProfileOptions } from './profile/options.js';
export type { ProfileOptions, ProfileTool } from './profile/options.js';
export { profileCpu } from './profile/cpu.js';
export type { CpuProfileRun } from './profile/cpu.js';
export type { ShrinkOptions } from './shrink/options.js';
export { shrink, shrunkPath } from './shrink/shrink.js';
export type { ShrinkOutcome } from './shrink/shrink.js';
export type { ScheduleSize } from './shrink/candidate.js';
export type { RunOptions } from './scenarios/run-options.js';
export { EVENT_KINDS, EVENT_LEVELS, EVENT_TABLE } from './events/kinds.js';
export type { CoreEventKind, EventLevel } from './events/kinds.js';
export type {
  DeclaredEventKinds,
  DmaEvent,
  DmaEventOf,
  EventBase,
  EventContext,
  EventKind,
  UnknownEvent,
} from './events/event.js';
export { defineEventKinds } from './events/define-event-kinds.js';
export type { EventKindSet, FieldArgs } from './events/define-event-kinds.js';
export { declaredKindCode, registeredKinds } from './events/kind-registry.js';
export type { EventKindSpec, RegisteredKind } from './events/kind-registry.js';
export { trace } from './events/trace.js';
export type { Violation } from './events/violation.js';
export { dataCorruption } from './clients/verify/data-corruption.js';
export { dmatestFailure } from './clients/dmatest/checker.js';
export { apiMisuse } from './events/checkers/api-misuse.js';
export { configPrepMismatch } from './events/checkers/config-prep-mismatch.js';
export { LockdepState, lockdep } from './events/checkers/lockdep/validator.js';
export { MISUSE_RULES } from './dmaengine/misuse.js';
export type { MisuseRule } from './dmaengine/misuse.js';
export { DmasimError } from './errors.js';
export type { DmasimErrorCode, SerializedError } from './errors.js';

// The simulated kernel as client and scenario code sees it (user scenario modules import
// these, and so do the built-in clients).
export {
  dmaRequestChan,
  dmaRequestChannel,
  dmaRequestChanByMask,
  dmaReleaseChannel,
} from './dmaengine/channel-request.js';
export type { DmaFilterFn } from './dmaengine/channel-request.js';
export {
  dmaAsyncIsTxComplete,
  dmaAsyncIssuePending,
  dmaSubmitError,
  dmaSyncWait,
  dmaenginePrepDmaMemcpy,
  dmaenginePrepSlaveSg,
  dmaenginePrepSlaveSingle,
  dmaengineSlaveConfig,
  dmaengineSubmit,
  dmaengineTxStatus,
  DMA_SYNC_WAIT_TIMEOUT_MS,
} from './dmaengine/consumer.js';
export {
  dmaengineSynchronize,
  dmaengineTerminateAll,
  dmaengineTerminateAsync,
  dmaengineTerminateSync,
} from './dmaengine/terminate.js';
export {
  asyncTxAck,
  dmaengineDescFree,
  dmaengineDescSetReuse,
} from './dmaengine/descriptor-reuse.js';
export {
  DMA_MIN_COOKIE,
  DmaCtrlFlags,
  DmaResidueGranularity,
  DmaStatus,
  DmaTransactionType,
  DmaTransferDirection,
  DmaengineTxResult,
  dmaCapSet,
  dmaHasCap,
} from './dmaengine/types.js';
export type {
  DmaCapMask,
  DmaSlaveConfig,
  DmaTxState,
  DmaengineResult,
  Scatterlist,
} from './dmaengine/types.js';
export { DmaChan } from './dmaengine/chan.js';
export type { DmaAsyncTxDescriptor } from './dmaengine/descriptor.js';
export type { DmaDevice } from './dmaengine/provider.js';
export {
  dmaenginePrepConfigSg,
  dmaenginePrepConfigSgSafe,
  dmaenginePrepConfigSingle,
  dmaenginePrepConfigSingleSafe,
} from './dmaengine/prep-config.js';
export { defineCallback, defineCallbackResult } from './dmaengine/callbacks.js';
export type { DmaCallback, DmaCallbackResult } from './dmaengine/callbacks.js';
export { dmaAsyncDeviceRegister, dmaChans } from './dmaengine/device-list.js';
export { currentActor, printk, thisCpu } from './kernel/current.js';
export type { ActorContext } from './kernel/current.js';
export type { Cpu } from './kernel/cpu.js';
export { WaitQueueHead, msleep, waitVarEventTimeout, wakeUpVar } from './kernel/waitqueue.js';
export { WaitOp } from './sched/wait-spec.js';
export {
  KSpinlock,
  LockKind,
  spinLock,
  spinLockBh,
  spinLockIrq,
  spinLockIrqsave,
  spinUnlock,
  spinUnlockBh,
  spinUnlockIrq,
  spinUnlockIrqrestore,
} from './kernel/spinlock.js';
export { KMutex, mutexLock, mutexUnlock } from './kernel/mutex.js';
export { lockAs } from './kernel/lock-as.js';
export type { LockMode } from './kernel/lock-as.js';
export { mightSleep } from './kernel/might-sleep.js';
export { defineLockClass, lockClassName } from './kernel/lock-class.js';
export { defineStruct, CACHE_LINE } from './shm/struct.js';
export type {
  FieldName,
  FieldSpec,
  FieldSpecs,
  LockField,
  Struct,
  WaitQueueField,
} from './shm/struct.js';
export { declareState, layoutState } from './shm/state-layout.js';
export type {
  StateCounts,
  StateDecl,
  StateEntry,
  StateLayout,
  StatePer,
  StateUse,
} from './shm/state-layout.js';
export { STATE_LOCK_BASE, StateInstance, StateView, stateLockId, stateOf } from './kernel/state.js';
export {
  Gfp,
  formatKasanFault,
  formatKasanReport,
  kasanCheck,
  kfree,
  kmalloc,
  kzalloc,
} from './kernel/slab.js';
export { kasanAccess, kasanCheckDma, kasanReport } from './kernel/kasan.js';
export { KMALLOC_MAX_SIZE, Slab, ZERO_SIZE_PTR } from './shm/slab.js';
export type {
  KasanKind,
  KasanReport,
  SlabFault,
  SlabObject,
  SlabRecord,
  SlabWho,
} from './shm/slab.js';
export { Shadow } from './shm/shadow.js';
export { ARENA_MAX_BYTES, ARENA_PAGE, ARENA_RESERVED, Arena } from './shm/arena.js';
export { WARN, WARN_ON, WARN_ON_ONCE, WARN_ONCE } from './kernel/report/warn.js';
export { BUG, BUG_ON, KernelBug } from './kernel/report/bug.js';
export { lockdep_assert_held, lockdep_is_held } from './kernel/report/lockdep-assert.js';
export { reportViolation } from './kernel/report/user-violation.js';
export type { ViolationFields } from './kernel/report/user-violation.js';
export type { SafePrepLock } from './shm/machine.js';
export { isErr, EBUSY, EINVAL, EIO, ENODEV, ENOSYS, EPERM, EPROBE_DEFER } from './kernel/errno.js';
export { defineLayout } from './shm/layout.js';
export type { Layout } from './shm/layout.js';
export { DescState } from './shm/descriptor-pool.js';

// Teardown: checked kmalloc state, the client device, release with transfers in flight.
export { KmallocState, kmallocState, kzallocState } from './kernel/kmalloc-state.js';
export {
  ClientDevice,
  RpmStatus,
  clientDeviceAt,
  clientDeviceCreate,
  dmaChanClient,
} from './dmaengine/client-device.js';
export { reportReleaseInFlight, transfersInFlight } from './dmaengine/release-in-flight.js';
export { EACCES } from './kernel/errno.js';
// Pause/resume, slave capabilities, cyclic transfers.
export { dmaenginePause, dmaengineResume } from './dmaengine/pause.js';
export { dmaGetSlaveCaps, emptySlaveCaps } from './dmaengine/slave-caps.js';
export type { DmaSlaveCaps } from './dmaengine/slave-caps.js';
export { dmaenginePrepDmaCyclic } from './dmaengine/prep-cyclic.js';
export {
  DESC_POOL_CACHE,
  vchanCyclicCallback,
  vchanCyclicStats,
} from './dmaengine/vchan-cyclic.js';
export type { CyclicStats } from './dmaengine/vchan-cyclic.js';
// --- DMA mapping API and dma-debug, descriptor metadata, interleaved, dependencies ---
export {
  DMA_MAPPING_ERROR,
  dmaMapSingle,
  dmaUnmapSingle,
  dmaMapSg,
  dmaUnmapSg,
  dmaMappingError,
  dmaengineGetDmaDevice,
} from './dma-mapping/mapping.js';
export {
  dmaSyncSingleForCpu,
  dmaSyncSingleForDevice,
  dmaSyncSgForCpu,
  dmaSyncSgForDevice,
} from './dma-mapping/sync.js';
export { DmaDataDirection } from './dma-mapping/direction.js';
export type { DmaMapDevice, DmaDebugCheck } from './dma-mapping/debug.js';
export { dmaDebugCpuAccess, dmaDebugDeviceReleased } from './dma-mapping/ownership.js';
export { DMA_DEBUG, DMA_DEBUG_ENTRIES, DmaDebugTable } from './shm/dma-debug-table.js';
export {
  DescMetadataMode,
  dmaengineDescAttachMetadata,
  dmaengineDescGetMetadataPtr,
  dmaengineDescSetMetadataLen,
  dmaengineIsMetadataModeSupported,
} from './dmaengine/metadata.js';
export type { DmaDescriptorMetadataOps, DmaMetadataPtr } from './dmaengine/metadata.js';
export {
  dmaenginePrepInterleavedDma,
  dmaengineGetDstIcg,
  dmaengineGetSrcIcg,
} from './dmaengine/interleaved.js';
export type { DataChunk, DmaInterleavedTemplate } from './dmaengine/interleaved.js';
export { ENOTSUPP, ENOMEM } from './kernel/errno.js';
export { VDMA_COMPLETION_RECORD, VDMA_METADATA_MAX } from './providers/vdma/metadata.js';
export { dmaRunDependencies, txdChain, txdNext } from './dmaengine/dependency.js';
// Users' own modules: typed definitions, and scenarios given as paths (TypeScript or JavaScript).
export { defineScenario, defineProvider, definePeripheral } from './scenarios/define.js';
export type {
  ScenarioDefinition,
  PlanSpec,
  ParamValues,
  ProviderDefinition,
  PeripheralDefinition,
} from './scenarios/define.js';
export { isModulePath } from './user-module/module-path.js';
export { loadScenarioModule, scenarioArg } from './host/scenario-module.js';
