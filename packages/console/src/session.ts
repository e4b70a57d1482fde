// The API key lives in this tab's session storage only: closing the tab or signing out forgets it.
const KEY = 'mailprobe.apiKey';

export const session = {
  get: (): string | null => sessionStorage.getItem(KEY),
  set: (apiKey: string) => sessionStorage.setItem(KEY, apiKey),
  clear: () => sessionStorage.removeItem(KEY),
};
