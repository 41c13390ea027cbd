import { useEffect, useState } from 'react';

/** The value `load()` resolves to, loaded again whenever `deps` change; the last good value is
 * kept while reloading, and a failure is reported in words, not thrown. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): { value: T | null; error: string | null; loading: boolean } {
  const [state, setState] = useState<{ value: T | null; error: string | null; loading: boolean }>({ value: null, error: null, loading: true });
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (value) => live && setState({ value, error: null, loading: false }),
      (e: unknown) => live && setState((s) => ({ value: s.value, error: e instanceof Error ? e.message : String(e), loading: false })),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  return state;
}

/** `names.account(address)` etc. as a value a component shows (the address until it is known). */
export function useName(load: () => Promise<string>, fallback: string, deps: unknown[]): string {
  const [name, setName] = useState(fallback);
  useEffect(() => {
    let live = true;
    load().then((n) => live && setName(n), () => undefined);
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  return name;
}
