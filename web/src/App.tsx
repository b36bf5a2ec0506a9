// The signed-in shell: who is signed in, the navigation, and which page the hash names. Signed out: the sign-in page.
import { useEffect, useState } from 'react';
import { api, call, type Session, setCsrfToken, whenSignedOut } from './api/client';
import { AuditPage } from './pages/AuditPage';
import { AwsCredentialsPage } from './pages/AwsCredentialsPage';
import { EnvironmentsPage } from './pages/EnvironmentsPage';
import { KeyPage } from './pages/KeyPage';
import { KeysPage } from './pages/KeysPage';
import { ProjectsPage } from './pages/ProjectsPage';
import { SignIn } from './pages/SignIn';
import { go, href, useRoute } from './router';

export function App() {
  const [session, setSession] = useState<Session | null | undefined>(undefined);

  useEffect(() => {
    whenSignedOut(() => {
      setCsrfToken(null);
      setSession(null);
    });
    call(api.GET('/v1/sessions/current'), true).then(
      (s) => {
        setCsrfToken(s.csrf_token);
        setSession(s);
      },
      () => setSession(null),
    );
  }, []);

  if (session === undefined) return <p className="loading">Loading…</p>;
  if (session === null) {
    return (
      <SignIn
        onSignedIn={(s) => {
          setCsrfToken(s.csrf_token);
          setSession(s);
        }}
      />
    );
  }
  return <Shell session={session} onSignOut={() => setSession(null)} />;
}

function Shell({ session, onSignOut }: { session: Session; onSignOut: () => void }) {
  const route = useRoute();
  const root = session.principal.type === 'root_key';
  const home = root ? ['projects'] : ['projects', session.principal.project_id!, 'keys'];
  const [first, id, tab] = route.path;

  useEffect(() => {
    if (!first) go(home, {}, true);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [first]);

  // Moving between pages puts focus on the new page's heading, for keyboard and screen reader users.
  useEffect(() => {
    document.querySelector<HTMLElement>('main h1')?.focus();
  }, [route.path.join('/')]);

  async function signOut() {
    try {
      await call(api.DELETE('/v1/sessions/current'), true);
    } finally {
      setCsrfToken(null);
      history.replaceState(null, '', '#/');
      onSignOut();
    }
  }

  let page;
  if (first === 'projects' && id && tab === 'keys') page = <KeysPage projectId={id} root={root} query={route.query} />;
  else if (first === 'projects' && id && tab === 'environments' && root) page = <EnvironmentsPage projectId={id} />;
  else if (first === 'projects' && id && tab === 'aws-credentials' && root) page = <AwsCredentialsPage projectId={id} />;
  else if (first === 'projects' && !id && root) page = <ProjectsPage />;
  else if (first === 'keys' && id) page = <KeyPage keyId={id} root={root} />;
  else if (first === 'audit') page = <AuditPage root={root} ownProject={session.principal.project_id} query={route.query} />;
  else page = first ? <NotFound /> : null;

  return (
    <>
      <a className="skip" href="#main" onClick={(e) => (e.preventDefault(), document.querySelector<HTMLElement>('main h1')?.focus())}>
        Skip to content
      </a>
      <header className="top">
        <a className="brand" href={href(home)}>
          Keymint
        </a>
        <nav aria-label="Main">
          {root && <a href={href(['projects'])} aria-current={first === 'projects' && !id ? 'page' : undefined}>Projects</a>}
          {!root && <a href={href(home)}>Keys</a>}
          <a href={href(['audit'])} aria-current={first === 'audit' ? 'page' : undefined}>
            Audit log
          </a>
        </nav>
        <div className="who">
          <span className="muted">{root ? 'Root key' : `Admin key of ${session.principal.project_id}`}</span>
          <button type="button" onClick={signOut}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main">{page}</main>
    </>
  );
}

function NotFound() {
  return (
    <>
      <h1 tabIndex={-1}>Not found</h1>
      <p>
        This page does not exist. <a href="#/">Go home</a>.
      </p>
    </>
  );
}
