export { ensureTlsFiles, type TlsFiles } from './ensure.js';
export { createCa, issueServerCertificate, type IssuedCertificate } from './certificate.js';
