import { useEffect, useState } from 'react';

/**
 * A search box that searches once typing has paused for `delayMs`, or at once on Enter
 * (`searchNow`). `q` is the trimmed text last searched for.
 */
export function useDebouncedSearch(delayMs = 400) {
  const [text, setText] = useState('');
  const [q, setQ] = useState('');
  useEffect(() => {
    const timer = window.setTimeout(() => setQ(text.trim()), delayMs);
    return () => window.clearTimeout(timer);
  }, [text, delayMs]);
  return { text, setText, q, searchNow: (value = text) => setQ(value.trim()) };
}
