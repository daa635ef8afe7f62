export { listen, type Listener, type ListenerOptions, type TlsMaterial } from './http/listener.js';
export { handleApiRequest, type ApiPipelineDeps } from './api/pipeline.js';
export { errorBody, toXml } from './api/render.js';
export type { AuditRecord, AuditSink } from './audit-hook.js';
export { metadataHandler as metadataFrontDoor, type MetadataDeps } from './metadata/handler.js';
export { ossHandler as ossFrontDoor, type OssDeps } from './oss/handler.js';
