// Small line icons drawn inline, so that no glyph depends on the fonts a machine has.
const PATHS = {
  copy: "M9 9h10v10H9zM5 15V5h10",
  download: "M12 4v11m-5-5 5 5 5-5M5 20h14",
  trash: "M5 7h14M10 7V4h4v3m-7 0 1 13h8l1-13",
  sun: "M12 8a4 4 0 1 0 0 8 4 4 0 0 0 0-8zM12 2v2m0 16v2M2 12h2m16 0h2M4.9 4.9l1.4 1.4m11.4 11.4 1.4 1.4M4.9 19.1l1.4-1.4m11.4-11.4 1.4-1.4",
  moon: "M20 14.5A8 8 0 0 1 9.5 4a8 8 0 1 0 10.5 10.5z",
  pause: "M9 5v14M15 5v14",
  edit: "M4 20h4L19 9l-4-4L4 16zM14 6l4 4",
  branch: "M6 3v18M18 8a2.5 2.5 0 1 0 0-5 2.5 2.5 0 0 0 0 5zM18 8c0 5-12 4-12 9",
  logo: "M6 4v16M6 8c6 0 6 4 12 4M6 16c4 0 4-2 8-2",
} as const;

export function Icon({ name, size = 15 }: { name: keyof typeof PATHS; size?: number }) {
  return (
    <svg className="icon-svg" width={size} height={size} viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth={2} strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
      <path d={PATHS[name]} />
    </svg>
  );
}
