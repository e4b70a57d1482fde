import { FINAL_JOB_STATUSES, type MeResponse } from '@mailprobe/core';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { type ConsoleApi, createApi, describeError, type ServerFeatures } from './api.js';
import { STATE_WORDS, useJob } from './job-progress.js';
import { JobsPanel } from './jobs-panel.js';
import { session } from './session.js';
import { SignIn } from './sign-in.js';
import { type ActiveJob, UploadPanel } from './upload-panel.js';
import { UsagePanel } from './usage-panel.js';
import { VerifyPanel } from './verify-panel.js';

// Short labels keep the four tabs on one row at phone width.
const TABS = [
  { id: 'verify', label: 'Verify' },
  { id: 'upload', label: 'Upload a list' },
  { id: 'jobs', label: 'Jobs' },
  { id: 'usage', label: 'Usage' },
] as const;
type TabId = (typeof TABS)[number]['id'];

const tabFromHash = (): TabId => {
  const id = location.hash.slice(1);
  return TABS.some((tab) => tab.id === id) ? (id as TabId) : 'verify';
};

const NO_FEATURES: ServerFeatures = { dryRun: false, resultSets: false, excelSafe: false, finish: false };

export function App() {
  const [apiKey, setApiKey] = useState<string | null>(session.get());
  const [me, setMe] = useState<MeResponse | null>(null);
  const [features, setFeatures] = useState<ServerFeatures>(NO_FEATURES);
  const [signInError, setSignInError] = useState<string | null>(null);
  const [tab, setTab] = useState<TabId>(tabFromHash());
  const [active, setActive] = useState<ActiveJob | null>(session.activeJob());
  const api = useMemo<ConsoleApi | null>(() => (apiKey ? createApi(apiKey) : null), [apiKey]);
  // Where focus goes next: the open panel's heading, after signing in or changing tabs.
  const focusHeading = useRef(false);
  const activeJob = useJob(api, active?.id ?? null);

  useEffect(() => {
    const onHash = () => {
      focusHeading.current = true;
      setTab(tabFromHash());
    };
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);

  // A key from an earlier visit in this tab is checked again before anything is shown.
  useEffect(() => {
    if (!api || me) return;
    api.me().then(setMe, (error: unknown) => {
      session.clear();
      setApiKey(null);
      setSignInError(describeError(error));
    });
  }, [api, me]);

  useEffect(() => {
    if (api) void api.features().then(setFeatures);
  }, [api]);

  // The job this tab followed is gone (deleted elsewhere, or past retention): stop showing it.
  useEffect(() => {
    if (activeJob.gone) {
      session.setActiveJob(null);
      setActive(null);
    }
  }, [activeJob.gone]);

  useEffect(() => {
    if (!me || !focusHeading.current) return;
    focusHeading.current = false;
    document.querySelector<HTMLElement>('main h2')?.focus();
  });

  const signIn = async (key: string) => {
    setSignInError(null);
    try {
      const account = await createApi(key).me();
      session.set(key);
      focusHeading.current = true;
      setMe(account);
      setApiKey(key);
    } catch (error) {
      setSignInError(describeError(error));
    }
  };
  const signOut = () => {
    session.clear();
    setApiKey(null);
    setMe(null);
    setActive(null);
  };
  const remember = (job: ActiveJob | null) => {
    session.setActiveJob(job);
    setActive(job);
  };

  if (!api || !me) {
    return <SignIn onSignIn={signIn} error={signInError} checking={api !== null && me === null} />;
  }
  const job = activeJob.job;
  return (
    <div class="shell">
      <header class="top">
        <h1>Mailprobe</h1>
        <p class="who">
          Signed in as <strong>{me.accountName}</strong> <span class="muted">({me.keyId})</span>
        </p>
        <button type="button" class="secondary" onClick={signOut}>
          Sign out
        </button>
      </header>
      <nav aria-label="Console sections">
        <ul class="tabs">
          {TABS.map((item) => (
            <li key={item.id}>
              <a href={`#${item.id}`} aria-current={tab === item.id ? 'page' : undefined}>
                {item.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {tab !== 'upload' && active && job && (
        <p class="running-job" data-testid="running-job" aria-live="polite">
          <span class="file-name">{active.fileName}</span>: {STATE_WORDS[job.status].toLowerCase()},{' '}
          {job.done} of {job.total} addresses checked.{' '}
          <a href="#upload">
            {FINAL_JOB_STATUSES.includes(job.status) ? 'See the results' : 'Follow the job'}
          </a>
        </p>
      )}
      <main>
        {tab === 'verify' && <VerifyPanel api={api} />}
        {/* Kept mounted on every tab: the chosen file, its preview and the started job stay as they were. */}
        <div hidden={tab !== 'upload'}>
          <UploadPanel
            api={api}
            features={features}
            active={active}
            job={job}
            jobError={activeJob.error}
            onStarted={remember}
            onJobChanged={(changed) => activeJob.setJob(changed)}
            onJobDeleted={() => remember(null)}
          />
        </div>
        {tab === 'jobs' && <JobsPanel api={api} features={features} />}
        {tab === 'usage' && <UsagePanel api={api} />}
      </main>
      <footer class="muted">
        API reference: <a href="/docs">/docs</a> · <a href="/openapi.json">/openapi.json</a>
      </footer>
    </div>
  );
}
