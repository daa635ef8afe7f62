// Structured logs (JSON lines on stderr; stdout carries only what the CLI prints for people).
// Secrets never reach a log: log calls pass ids, not credentials, and the paths below are
// redacted as a second line of defence.
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level = process.env['RAMPART_LOG_LEVEL'] ?? 'info'): Logger {
  return pino(
    {
      level,
      base: { service: 'rampart' },
      redact: {
        paths: ['*.AccessKeySecret', '*.SecurityToken', '*.Signature', '*.secret', '*.password', 'req.headers.authorization'],
        censor: '[redacted]',
      },
    },
    bufferedStderr(),
  );
}

/**
 * stderr, written in blocks: one system call per few kilobytes of lines instead of one (handed
 * to a thread) per line, which under load cost more than producing the lines. A timer writes out
 * what has waited 200 ms, so a quiet server's lines still appear promptly; exit flushes the rest.
 */
function bufferedStderr() {
  const destination = pino.destination({ fd: 2, sync: false, minLength: 8192 });
  setInterval(() => destination.flush(), 200).unref();
  process.once('exit', () => destination.flushSync());
  return destination;
}

export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}

const accessLoggers = new WeakMap<Logger, Logger>();

/**
 * The logger for the one line each request leaves: request id, action, key id, status, timing.
 * Those fields are ids and outcomes, never request content, so the line skips the redaction pass,
 * which costs more than writing it.
 */
export function accessLog(log: Logger): Logger {
  let access = accessLoggers.get(log);
  if (access === undefined) accessLoggers.set(log, (access = log.child({}, { redact: [] })));
  return access;
}
