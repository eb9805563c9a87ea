type PageEvents = {
  addEventListener?: (type: 'pagehide', listener: () => void) => void;
  removeEventListener?: (type: 'pagehide', listener: () => void) => void;
};

/**
 * Calls `listener` when the page is closed or navigated away (`pagehide`); outside a browser it
 * does nothing. Returns the function that stops it.
 */
export function onPageHide(listener: () => void): () => void {
  const page = globalThis as PageEvents;
  page.addEventListener?.('pagehide', listener);
  return () => page.removeEventListener?.('pagehide', listener);
}
