import type { CSSProperties } from 'react';

/** HH:MM:SS of an ISO time, in the browser's time zone (the editor's "Saved to Strapi at …"). */
export const formatClock = (iso: string): string => {
  const date = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
};

/**
 * The design system's modal content at full height from the top edge, `width` wide, without its
 * centring transform, margins, rounded corners and pop-in animation (the editor, the history panel).
 */
export const edgeToEdgeModal = (width: string): CSSProperties => ({
  top: 0,
  transform: 'none',
  animation: 'none',
  width,
  maxWidth: '100vw',
  height: '100vh',
  maxHeight: '100vh',
  borderRadius: 0,
  display: 'flex',
  flexDirection: 'column',
});
