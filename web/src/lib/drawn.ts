// Before the app runs, the boot script works the server-drawn frame's controls (web/prerender.ts,
// bootScript): it opens the phone's menu by marking <html data-menu="open"> (styles.css), and
// it keeps every click on the burger and the account menu to itself until the app says it has
// the frame. This is that word, said while the frame is committed (a layout effect: no click
// falls between the two, and the menu the visitor opened stays open without a frame drawn
// closed in between).
export function takeOverDrawnFrame(openMenu: () => void): void {
  const html = document.documentElement;
  if (html.dataset.menu === 'open') openMenu();
  delete html.dataset.menu;
  html.dataset.frame = 'app';
}
