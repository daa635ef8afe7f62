// A user's virtual MFA device: making one (its seed shown once, as text and as a QR code for an
// authenticator app), binding it with two consecutive codes, unbinding it.
import { useEffect, useState } from 'preact/hooks';
import { ApiFailure, call } from './api';
import { ErrorBox, Field, useAction } from './components';

interface NewDevice {
  SerialNumber: string;
  Base32StringSeed: string;
  QRCodePNG: string;
}

export function MfaDevice({ userName }: { userName: string }) {
  const [serial, setSerial] = useState<string | undefined>();
  const [made, setMade] = useState<NewDevice | undefined>();
  const [codes, setCodes] = useState({ first: '', second: '' });
  const [error, busy, run] = useAction();
  const reload = async () => {
    try {
      setSerial(((await call('ram', 'GetUserMFAInfo', { UserName: userName }))['MFADevice'] as { SerialNumber: string }).SerialNumber);
    } catch (e) {
      if (!(e instanceof ApiFailure && e.code === 'EntityNotExist.User.MFADevice')) throw e;
      setSerial(undefined);
    }
  };
  useEffect(() => void run(reload), [userName]);
  const bind = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      await call('ram', 'BindMFADevice', { SerialNumber: made!.SerialNumber, UserName: userName, AuthenticationCode1: codes.first, AuthenticationCode2: codes.second });
      setMade(undefined);
      setCodes({ first: '', second: '' });
      await reload();
    });
  };
  return (
    <section aria-label="MFA device">
      <h3>MFA device</h3>
      <ErrorBox error={error} />
      {serial ? (
        <p>
          Bound: <code data-testid="mfa-serial">{serial}</code>{' '}
          <button type="button" disabled={busy} onClick={() => void run(async () => {
            await call('ram', 'UnbindMFADevice', { UserName: userName });
            await reload();
          })}>
            Unbind
          </button>
        </p>
      ) : made ? (
        <form onSubmit={bind} aria-label="Bind MFA device">
          <p>Scan the code with an authenticator app, or type the key in; it is shown this once.</p>
          <img alt="QR code of the MFA device's key" src={`data:image/png;base64,${made.QRCodePNG}`} width={180} height={180} />
          <p>
            Key <code data-testid="mfa-seed">{made.Base32StringSeed}</code>
          </p>
          <Field label="First code">
            <input inputMode="numeric" required pattern="\d{6}" value={codes.first} onInput={(e) => setCodes({ ...codes, first: (e.target as HTMLInputElement).value })} />
          </Field>
          <Field label="Next code">
            <input inputMode="numeric" required pattern="\d{6}" value={codes.second} onInput={(e) => setCodes({ ...codes, second: (e.target as HTMLInputElement).value })} />
          </Field>
          <button type="submit" disabled={busy}>
            Bind
          </button>
        </form>
      ) : (
        <button type="button" disabled={busy} onClick={() => void run(async () => setMade((await call('ram', 'CreateVirtualMFADevice', { VirtualMFADeviceName: userName }))['VirtualMFADevice'] as NewDevice))}>
          Add a virtual MFA device
        </button>
      )}
    </section>
  );
}
