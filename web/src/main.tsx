// The console's shell: who is signed in, the pages (by the address's #fragment), sign-out.
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { currentSession, signOut, type Identity, type Session } from './api';
import { ErrorBox } from './components';
import { AuditPage } from './pages/Audit';
import { PoliciesPage } from './pages/Policies';
import { RoleDetailPage } from './pages/RoleDetail';
import { RolesPage } from './pages/Roles';
import { SignInPage } from './pages/SignIn';
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

const PAGES = [
  ['#/users', 'Users'],
  ['#/roles', 'Roles'],
  ['#/policies', 'Policies'],
  ['#/audit', 'Operation records'],
] as const;

function Page({ hash, identity }: { hash: string; identity: Identity }) {
  const [, section, name] = /^#\/([a-z]+)(?:\/(.+))?$/.exec(hash) ?? [];
  const item = name === undefined ? undefined : decodeURIComponent(name);
  switch (section) {
    case 'roles':
      return item ? <RoleDetailPage roleName={item} /> : <RolesPage identity={identity} />;
    case 'policies':
      return <PoliciesPage />;
    case 'audit':
      return <AuditPage />;
    default:
      return item ? <UserDetailPage userName={item} /> : <UsersPage />;
  }
}

function App() {
  const [session, setSession] = useState<Session | undefined | null>(null);
  const [error, setError] = useState<unknown>();
  const hash = useHash();
  useEffect(() => {
    currentSession().then(setSession, setError);
  }, []);
  if (error !== undefined) return <ErrorBox error={error} />;
  if (session === null) return <p>Loading…</p>;
  if (session === undefined) return <SignInPage onSignedIn={setSession} />;
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
          {who(session.Identity)}
        </span>
        <button type="button" onClick={() => void signOut().then(() => setSession(undefined), setError)}>
          Sign out
        </button>
      </header>
      <main>
        <Page hash={hash} identity={session.Identity} />
      </main>
    </>
  );
}

render(<App />, document.getElementById('app')!);
