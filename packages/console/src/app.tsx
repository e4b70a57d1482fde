import type { MeResponse } from '@mailprobe/core';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { type ConsoleApi, createApi, describeError } from './api.js';
import { JobsPanel } from './jobs-panel.js';
import { session } from './session.js';
import { SignIn } from './sign-in.js';
import { UploadPanel } from './upload-panel.js';
import { UsagePanel } from './usage-panel.js';
import { VerifyPanel } from './verify-panel.js';

const TABS = [
  { id: 'verify', label: 'Verify one address' },
  { id: 'upload', label: 'Upload a list' },
  { id: 'jobs', label: 'Jobs' },
  { id: 'usage', label: 'Usage' },
] as const;
type TabId = (typeof TABS)[number]['id'];

const tabFromHash = (): TabId => {
  const id = location.hash.slice(1);
  return TABS.some((tab) => tab.id === id) ? (id as TabId) : 'verify';
};

export function App() {
  const [apiKey, setApiKey] = useState<string | null>(session.get());
  const [me, setMe] = useState<MeResponse | null>(null);
  const [signInError, setSignInError] = useState<string | null>(null);
  const [tab, setTab] = useState<TabId>(tabFromHash());
  const api = useMemo<ConsoleApi | null>(() => (apiKey ? createApi(apiKey) : null), [apiKey]);

  useEffect(() => {
    const onHash = () => setTab(tabFromHash());
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

  const signIn = async (key: string) => {
    setSignInError(null);
    try {
      const account = await createApi(key).me();
      session.set(key);
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
  };

  if (!api || !me) {
    return <SignIn onSignIn={signIn} error={signInError} checking={api !== null && me === null} />;
  }
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
      <main>
        {tab === 'verify' && <VerifyPanel api={api} />}
        {tab === 'upload' && <UploadPanel api={api} />}
        {tab === 'jobs' && <JobsPanel api={api} />}
        {tab === 'usage' && <UsagePanel api={api} />}
      </main>
      <footer class="muted">
        API reference: <a href="/docs">/docs</a> · <a href="/openapi.json">/openapi.json</a>
      </footer>
    </div>
  );
}
