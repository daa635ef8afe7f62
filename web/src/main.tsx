// The console's shell: who is signed in, the pages (by the address's #fragment), sign-out.
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { currentSession, onSessionEnded, signOut, switchBack, type Identity, type Session } from './api';
import { ErrorBox } from './components';
import { AccountPage } from './pages/Account';
import { AuditPage } from './pages/Audit';
import { BucketPage, BucketsPage } from './pages/Buckets';
import { ChangePasswordPage } from './pages/ChangePassword';
import { GroupDetailPage, GroupsPage } from './pages/Groups';
import { InstancesPage } from './pages/Instances';
import { PoliciesPage } from './pages/Policies';
import { PolicyDetailPage } from './pages/PolicyDetail';
import { RoleDetailPage } from './pages/RoleDetail';
import { RolesPage } from './pages/Roles';
import { SignInPage } from './pages/SignIn';
import { SimulatorPage } from './pages/Simulator';
import { SwitchRolePage } from './pages/SwitchRole';
import { TrustGraphPage } from './pages/TrustGraph';
import { UserDetailPage } from './pages/UserDetail';
import { UsersPage } from './pages/Users';
import './style.css';

function useHash(): string {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const changed = () => setHash(location.hash);
    addEventListener('hashchange', changed);
    return () => removeEventListener('hashchange', changed);
  }, []);
  return hash;
}

function who(i: Identity): string {
  if (i.Type === 'Account') return `root @ ${i.AccountId}`;
  if (i.Type === 'RAMUser') return `${i.UserName} @ ${i.AccountId}`;
  return `${i.RoleName} @ ${i.AccountId}`;
}

/** "role name @ account (via user @ account)" once switched into a role. */
function heading(s: Session): string {
  return s.SignedInAs ? `${who(s.Identity)} (via ${who(s.SignedInAs)})` : who(s.Identity);
}

const PAGES = [
  ['#/users', 'Users'],
  ['#/groups', 'Groups'],
  ['#/roles', 'Roles'],
  ['#/policies', 'Policies'],
  ['#/trust-graph', 'Trust graph'],
  ['#/simulator', 'Simulator'],
  ['#/instances', 'ECS instances'],
  ['#/buckets', 'Buckets'],
  ['#/audit', 'Operation records'],
  ['#/switch-role', 'Switch role'],
  ['#/account', 'Account'],
] as const;

function Page({ hash, identity, onSwitched }: { hash: string; identity: Identity; onSwitched: (s: Session | undefined) => void }) {
  const [, section, name] = /^#\/([a-z-]+)(?:\/(.+))?$/.exec(hash) ?? [];
  const item = name === undefined ? undefined : decodeURIComponent(name);
  switch (section) {
    case 'roles':
      return item ? <RoleDetailPage roleName={item} /> : <RolesPage identity={identity} />;
    case 'policies': {
      const [type, policyName] = (item ?? '').split('/');
      return (type === 'System' || type === 'Custom') && policyName ? <PolicyDetailPage type={type} name={policyName} /> : <PoliciesPage />;
    }
    case 'audit':
      return <AuditPage />;
    case 'instances':
      return <InstancesPage />;
    case 'switch-role':
      return <SwitchRolePage identity={identity} onSwitched={onSwitched} />;
    case 'groups':
      return item ? <GroupDetailPage groupName={item} /> : <GroupsPage />;
    case 'account':
      return <AccountPage identity={identity} />;
    case 'buckets':
      return item ? <BucketPage bucket={item} /> : <BucketsPage />;
    case 'trust-graph':
      return <TrustGraphPage />;
    case 'simulator':
      return <SimulatorPage />;
    case 'password':
      return <ChangePasswordPage required={false} onChanged={() => undefined} />;
    default:
      return item ? <UserDetailPage userName={item} /> : <UsersPage />;
  }
}

function App() {
  const [session, setSession] = useState<Session | undefined | null>(null);
  const [error, setError] = useState<unknown>();
  const hash = useHash();
  const [ended, setEnded] = useState(false);
  useEffect(() => {
    currentSession().then(setSession, setError);
    onSessionEnded(() => {
      setSession(undefined);
      setEnded(true);
    });
  }, []);
  if (error !== undefined) return <ErrorBox error={error} />;
  if (session === null) return <p>Loading…</p>;
  if (session === undefined) {
    return (
      <SignInPage
        ended={ended}
        onSignedIn={(s) => {
          setEnded(false);
          setSession(s);
        }}
      />
    );
  }
  if (session.PasswordResetRequired) {
    return (
      <main>
        <ChangePasswordPage required onChanged={() => setSession({ ...session, PasswordResetRequired: false })} />
      </main>
    );
  }
  return (
    <>
      <header>
        <strong>Rampart</strong>
        <nav aria-label="Pages">
          {PAGES.map(([href, label]) => (
            <a key={href} href={href} aria-current={hash.startsWith(href) ? 'page' : undefined}>
              {label}
            </a>
          ))}
        </nav>
        <span class="identity" data-testid="identity">
          {heading(session)}
        </span>
        {session.Identity.Type === 'RAMUser' && <a href="#/password">Change password</a>}
        {session.SignedInAs && (
          <button type="button" onClick={() => void switchBack().then(setSession, setError)}>
            Back to my identity
          </button>
        )}
        <button type="button" onClick={() => void signOut().then(() => setSession(undefined), setError)}>
          Sign out
        </button>
      </header>
      <main>
        {/* A new identity is a new page: nothing fetched as the previous one stays on screen. */}
        <Page key={session.Identity.Arn} hash={hash} identity={session.Identity} onSwitched={setSession} />
      </main>
    </>
  );
}

render(<App />, document.getElementById('app')!);
