import { useEffect, useRef, useState } from 'preact/hooks';

export function SignIn(props: {
  onSignIn: (key: string) => Promise<void>;
  error: string | null;
  checking: boolean;
}) {
  const [key, setKey] = useState('');
  const [busy, setBusy] = useState(false);
  const field = useRef<HTMLInputElement>(null);
  // The key field is the only thing to do on this screen: it has focus from the start.
  useEffect(() => field.current?.focus(), []);
  const submit = async (event: Event) => {
    event.preventDefault();
    if (!key.trim()) return;
    setBusy(true);
    await props.onSignIn(key.trim());
    setBusy(false);
  };
  return (
    <main class="sign-in">
      <h1>Mailprobe</h1>
      <p>
        Check whether email addresses really work — one at a time or a whole list — without sending a message.
      </p>
      <form onSubmit={submit}>
        <label for="api-key">API key</label>
        <input
          id="api-key"
          ref={field}
          name="api-key"
          type="password"
          autocomplete="off"
          spellcheck={false}
          required
          value={key}
          onInput={(event) => setKey(event.currentTarget.value)}
          aria-describedby="api-key-help"
        />
        <p id="api-key-help" class="muted">
          Kept in this browser tab only, until you sign out or close the tab. An operator makes keys with{' '}
          <code>mailprobe keys create --name you</code>.
        </p>
        <button type="submit" disabled={busy || props.checking}>
          {busy || props.checking ? 'Checking…' : 'Sign in'}
        </button>
      </form>
      {props.error && (
        <p class="error" role="alert">
          {props.error}
        </p>
      )}
    </main>
  );
}
