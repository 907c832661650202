// The service worker: keeps the app itself (index.html, scripts, styles) on the phone so a
// kecamatan officer can open the attendance page at a venue with no signal once the page
// has been opened before. Data stays with the page (IndexedDB, see features/training/outbox.ts); the worker keeps
// only the app and the answer to "who is signed in", without which the app would show its
// "server unreachable" screen instead of the page.
//
// Built by build.ts into dist/sw.js as a classic script (not a module: older phones),
// with the build's file list in place of __PRECACHE__ and a version from its hash.

declare const __PRECACHE__: string[];
declare const __VERSION__: string;

// Just what is used here of the service worker API: lib "webworker" clashes with lib "dom".
type ExtendableEvent = Event & { waitUntil(promise: Promise<unknown>): void };
type FetchEvent = ExtendableEvent & { request: Request; respondWith(response: Promise<Response>): void };
type WorkerScope = {
  skipWaiting(): Promise<void>;
  clients: { claim(): Promise<void> };
  addEventListener(type: 'install' | 'activate', listener: (event: ExtendableEvent) => void): void;
  addEventListener(type: 'fetch', listener: (event: FetchEvent) => void): void;
  location: Location;
};

const worker = self as unknown as WorkerScope;
const shellCache = `pulih-shell-${__VERSION__}`;
const userCache = 'pulih-user';
const shellUrl = '/index.html';
const meUrl = '/api/v1/auth/me';
// On a weak signal the network can take very long to fail; the kept app opens instead.
const navigationTimeoutMs = 4000;
// Served by the server as their own pages (public catalogue, certificate check, public
// application form and status), never as the app.
const serverPages = [
  /^\/api\//,
  /^\/katalog(\/|$)/,
  /^\/sertifikat\//,
  /^\/daftar\//,
  /^\/status\//,
  /^\/health$/,
];

worker.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(shellCache)
      .then((cache) => cache.addAll([shellUrl, ...__PRECACHE__]))
      .then(() => worker.skipWaiting()),
  );
});

worker.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(
          keys.filter((k) => k.startsWith('pulih-shell-') && k !== shellCache).map((k) => caches.delete(k)),
        ),
      )
      .then(() => worker.clients.claim()),
  );
});

worker.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== worker.location.origin) return;

  if (url.pathname === '/api/v1/auth/logout') {
    event.waitUntil(forgetUser());
    return;
  }
  if (url.pathname === '/api/v1/auth/login' && request.method === 'POST') {
    event.respondWith(rememberLogin(request));
    return;
  }
  if (url.pathname === meUrl && request.method === 'GET') {
    event.respondWith(signedIn(request));
    return;
  }
  if (request.method !== 'GET') return;
  if (request.mode === 'navigate') {
    if (serverPages.some((p) => p.test(url.pathname))) return;
    event.respondWith(appPage(request));
    return;
  }
  if (url.pathname.startsWith('/assets/') || __PRECACHE__.includes(url.pathname)) {
    event.respondWith(asset(request));
  }
});

// The network first, so a new version arrives as soon as it is out; the kept copy when the
// network fails or is too slow.
async function appPage(request: Request): Promise<Response> {
  const network = fetch(request);
  const timeout = new Promise<null>((resolve) => setTimeout(() => resolve(null), navigationTimeoutMs));
  try {
    const response = await Promise.race([network, timeout]);
    if (response) return response;
  } catch {
    // no signal: fall through to the kept app
  }
  const kept = await caches.match(shellUrl, { cacheName: shellCache });
  return kept ?? network;
}

// File names carry a hash of their content: a kept file never goes stale.
async function asset(request: Request): Promise<Response> {
  const kept = await caches.match(request);
  if (kept) return kept;
  const response = await fetch(request);
  if (response.ok) {
    const copy = response.clone();
    void caches.open(shellCache).then((cache) => cache.put(request, copy));
  }
  return response;
}

// The network's answer whenever there is one; the last "signed in" answer only when there
// is none. A 401 means the sign-in is over: forget it.
async function signedIn(request: Request): Promise<Response> {
  try {
    const response = await fetch(request);
    if (response.ok) await keepUser(response.clone());
    else if (response.status === 401 || response.status === 403) await forgetUser();
    return response;
  } catch (error) {
    const kept = await caches.match(meUrl, { cacheName: userCache });
    if (kept) return kept;
    throw error;
  }
}

async function rememberLogin(request: Request): Promise<Response> {
  const response = await fetch(request);
  // The login answers with the same body as /auth/me.
  if (response.ok) await keepUser(response.clone());
  return response;
}

async function keepUser(response: Response): Promise<void> {
  const body = await response.text();
  const cache = await caches.open(userCache);
  await cache.put(meUrl, new Response(body, { headers: { 'content-type': 'application/json' } }));
}

// On logout: the sign-in and the saved participant lists (names) leave the phone. Check-ins
// still waiting to be sent stay: they hold no names and are sent at the next login.
async function forgetUser(): Promise<void> {
  await caches.delete(userCache);
  await clearSavedSessions();
  // The saved lists of self-registrations to visit (features/registrations/field-store.ts).
  await clearSavedSessions('pulih-field', 'lists');
}

function clearSavedSessions(database = 'pulih-offline', store = 'sessions'): Promise<void> {
  return new Promise((resolve) => {
    const open = indexedDB.open(database);
    // The page creates the database; opening it here must not create an empty one.
    open.onupgradeneeded = () => open.transaction?.abort();
    open.onerror = () => resolve();
    open.onblocked = () => resolve();
    open.onsuccess = () => {
      const db = open.result;
      if (!db.objectStoreNames.contains(store)) {
        db.close();
        resolve();
        return;
      }
      const tx = db.transaction(store, 'readwrite');
      tx.objectStore(store).clear();
      const done = () => {
        db.close();
        resolve();
      };
      tx.oncomplete = done;
      tx.onerror = done;
      tx.onabort = done;
    };
  });
}

export {};
