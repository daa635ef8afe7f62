export { listen, type Listener, type ListenerOptions, type TlsMaterial } from './http/listener.js';
export { apiFrontDoor, type ApiDeps } from './api/codec.js';
export { lifecycle, type Codec, type Identified, type LifecycleDeps, type Prepared, type RequestObservation } from './lifecycle.js';
export { errorBody, toXml } from './api/render.js';
export type { AuditCheck, AuditRecord, AuditSink, OperationEvent } from './audit/index.js';
export { metadataFrontDoor, type MetadataDeps } from './metadata/codec.js';
export { ossFrontDoor, type OssDeps } from './oss/codec.js';
export { answerCallbackKey, CALLBACK_KEY_PATH } from './oss/callback-key.js';
export { BUILT_CONSOLE, ConsoleAssets, consoleFrontDoor, ConsoleSessions, DEFAULT_SESSION_LIMITS, type ConsoleDeps, type SessionLimits } from './console/index.js';
