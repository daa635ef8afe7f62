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
