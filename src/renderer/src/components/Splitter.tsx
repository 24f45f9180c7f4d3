// A draggable divider between two panes; arrow keys move it too. The size is kept (ui store →
// localStorage) so the layout is the same after a reload.
import type { KeyboardEvent, PointerEvent } from "react";
import { uiSelectors, useUi } from "../stores/ui";

interface Props {
  /** Which pane's size this divider sets (its key in the ui store). */
  pane: string;
  fallback: number;
  min: number;
  max: number;
  /** "vertical": a divider between columns (sets a width); "horizontal": between rows (a height). */
  orientation: "vertical" | "horizontal";
  /** The pane sits after the divider (right or below), so dragging towards it makes it smaller. */
  after?: boolean;
  label: string;
}

export function usePane(pane: string, fallback: number): number {
  return useUi(uiSelectors.pane(pane, fallback));
}

export function Splitter({ pane, fallback, min, max, orientation, after = false, label }: Props) {
  const size = usePane(pane, fallback);
  const setPane = useUi((s) => s.setPane);
  const clamp = (v: number) => Math.max(min, Math.min(max, v));
  const sign = after ? -1 : 1;

  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    e.preventDefault();
    const start = orientation === "vertical" ? e.clientX : e.clientY;
    const from = size;
    const target = e.currentTarget;
    target.setPointerCapture(e.pointerId);
    const move = (ev: globalThis.PointerEvent) => {
      const now = orientation === "vertical" ? ev.clientX : ev.clientY;
      setPane(pane, clamp(from + sign * (now - start)));
    };
    const up = () => {
      target.removeEventListener("pointermove", move);
      target.removeEventListener("pointerup", up);
    };
    target.addEventListener("pointermove", move);
    target.addEventListener("pointerup", up);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const grow = orientation === "vertical" ? ["ArrowRight"] : ["ArrowDown"];
    const shrink = orientation === "vertical" ? ["ArrowLeft"] : ["ArrowUp"];
    const step = e.shiftKey ? 60 : 20;
    if (grow.includes(e.key)) setPane(pane, clamp(size + sign * step));
    else if (shrink.includes(e.key)) setPane(pane, clamp(size - sign * step));
    else return;
    e.preventDefault();
  };

  return (
    <div
      className={`splitter splitter-${orientation}`}
      role="separator"
      aria-orientation={orientation}
      aria-label={label}
      aria-valuenow={size}
      aria-valuemin={min}
      aria-valuemax={max}
      tabIndex={0}
      data-testid={`splitter-${pane}`}
      onPointerDown={onPointerDown}
      onKeyDown={onKeyDown}
    />
  );
}
