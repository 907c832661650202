// Installs the service worker (sw.ts) in the built app. Not in development: Vite's dev
// server serves modules that no worker should keep.
export function registerServiceWorker() {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => {
      // No offline use then (e.g. plain http on a LAN address); the app works as before.
    });
  });
}
