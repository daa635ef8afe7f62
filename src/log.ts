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
    pino.destination({ fd: 2, sync: false }),
  );
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
