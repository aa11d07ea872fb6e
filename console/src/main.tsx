import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { loadSession, setSession, signIn, signOut, whenSignedOut, type Session } from './api.js';
import { useRoute } from './router.js';
import { Dashboard } from './pages/dashboard.js';
import { FunctionList } from './pages/function-list.js';
import { CreateFunction } from './pages/create-function.js';
import { FunctionPage } from './pages/function-page.js';
import { Queues } from './pages/queues.js';
import { Buckets } from './pages/buckets.js';
import { Topics } from './pages/topics.js';
import { Rules } from './pages/rules.js';
import { Streams } from './pages/streams.js';
import { ErrorBox } from './ui.js';
import './styles.css';

const NAV: [string, string][] = [
  ['/', 'Dashboard'],
  ['/functions', 'Functions'],
  ['/queues', 'Queues'],
  ['/topics', 'Topics'],
  ['/buckets', 'Buckets'],
  ['/rules', 'Rules and schedules'],
  ['/streams', 'Streams and tables'],
];

function App() {
  const [session, setState] = useState<Session | null | 'sign-in' | 'loading'>('loading');
  const [error, setError] = useState<string>();
  useEffect(() => {
    whenSignedOut(() => setState('sign-in'));
    loadSession().then(
      (s) => {
        if (s !== 'sign-in') setSession(s);
        setState(s);
      },
      (err: unknown) => setError(String(err)),
    );
  }, []);
  if (error) return <ErrorBox error={error} />;
  if (session === 'loading') return <p class="muted">Loading…</p>;
  if (session === 'sign-in' || session === null) {
    return (
      <SignIn
        onDone={(s) => {
          setSession(s);
          setState(s);
        }}
      />
    );
  }
  return <Shell session={session} />;
}

function SignIn(props: { onDone: (s: Session) => void }) {
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget as HTMLFormElement);
    setBusy(true);
    setError(undefined);
    try {
      props.onDone(await signIn(String(form.get('accessKeyId')), String(form.get('secretAccessKey'))));
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="sign-in">
      <h1>Lambkin console</h1>
      <p>Sign in with an access key pair from Lambkin's credential store (<code>lambkin credentials create</code>).</p>
      <form onSubmit={submit} class="form">
        <label>
          Access key ID
          <input name="accessKeyId" autoComplete="username" required autoFocus />
        </label>
        <label>
          Secret access key
          <input name="secretAccessKey" type="password" autoComplete="current-password" required />
        </label>
        <ErrorBox error={error} />
        <button type="submit" disabled={busy}>
          Sign in
        </button>
      </form>
    </main>
  );
}

function Shell(props: { session: Session }) {
  const route = useRoute();
  const top = route.path[0] ?? '';
  return (
    <>
      <a class="skip" href="#main" onClick={(e) => { e.preventDefault(); document.getElementById('main')?.focus(); }}>
        Skip to content
      </a>
      <header class="top">
        <span class="brand">Lambkin</span>
        <nav aria-label="Main">
          <ul>
            {NAV.map(([path, label]) => (
              <li key={path}>
                <a href={`#${path}`} aria-current={(path === '/' ? top === '' : path.slice(1) === top) ? 'page' : undefined}>
                  {label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <span class="who" title={props.session.arn}>
          {props.session.accountId} · us-east-1
        </span>
        {props.session.accessKeyId !== 'test' ? (
          <button class="link" onClick={() => void signOut()}>
            Sign out
          </button>
        ) : null}
      </header>
      <main id="main" tabIndex={-1}>
        <Page path={route.path} params={route.params} />
      </main>
    </>
  );
}

function Page(props: { path: string[]; params: URLSearchParams }) {
  const [top, second] = props.path;
  switch (top) {
    case undefined:
      return <Dashboard />;
    case 'functions':
      if (second === undefined) return <FunctionList params={props.params} />;
      return <FunctionPage name={second} params={props.params} />;
    case 'create':
      return <CreateFunction />;
    case 'queues':
      return <Queues selected={second} />;
    case 'topics':
      return <Topics />;
    case 'buckets':
      return <Buckets bucket={second} params={props.params} />;
    case 'rules':
      return <Rules />;
    case 'streams':
      return <Streams />;
    default:
      return <p>No such page.</p>;
  }
}

render(<App />, document.getElementById('app')!);
