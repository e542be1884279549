// A pool thread: hosts one actor per run (a CPU or an engine), driven over its port.
export { hostActor as default } from '../src/host/actor-host.js';
