// The instance metadata service answers in plain text, as the real one does: a status and its
// reason phrase, nothing else (an app on the instance learns nothing more from a refusal).
import { STATUS_CODES } from 'node:http';
import { ApiError } from './errors.js';

const plain = (status: number) => {
  const text = STATUS_CODES[status] ?? 'Error';
  return new ApiError(text.replace(/\s+/g, ''), text, status);
};

export const MetadataErrors = {
  notFound: () => plain(404),
  badRequest: () => plain(400),
  unauthorized: () => plain(401),
  forbidden: () => plain(403),
  methodNotAllowed: () => plain(405),
};
