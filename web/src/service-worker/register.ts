// Installs the service worker (sw.ts) in the built app. Not in development: Vite's dev
// server serves modules that no worker should keep.
export function registerServiceWorker() {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  const register = () =>
    navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => {
      // No offline use then (e.g. plain http on a LAN address); the app works as before.
    });
  // After the page's own loading (the app may start after the load event: it waits for its
  // strings).
  if (document.readyState === 'complete') void register();
  else window.addEventListener('load', () => void register());
}
