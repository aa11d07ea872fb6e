import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';

export interface ChartLine {
  label: string;
  values: (number | null)[];
  color: string;
}

/**
 * A uPlot time chart. `onPick` gets the epoch seconds of the point under the cursor when it is
 * clicked or Enter is pressed on the focused chart (the keyboard walks points with ←/→).
 */
export function Chart(props: { title: string; timestamps: number[]; lines: ChartLine[]; height?: number; onPick?: (t: number) => void; testId?: string }) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const picked = useRef<number | null>(null);
  const pick = useRef(props.onPick);
  pick.current = props.onPick;

  useEffect(() => {
    const el = box.current!;
    const started = performance.now();
    const opts: uPlot.Options = {
      width: Math.max(240, el.clientWidth || 480),
      height: props.height ?? 160,
      cursor: { drag: { x: false, y: false } },
      legend: { show: true, live: true },
      scales: { x: { time: true } },
      axes: [
        { stroke: 'currentColor', grid: { stroke: 'rgba(128,128,128,0.2)' }, ticks: { stroke: 'rgba(128,128,128,0.3)' } },
        { stroke: 'currentColor', grid: { stroke: 'rgba(128,128,128,0.2)' }, ticks: { stroke: 'rgba(128,128,128,0.3)' }, size: 50 },
      ],
      series: [{}, ...props.lines.map((l) => ({ label: l.label, stroke: l.color, width: 1.5, points: { show: props.timestamps.length < 90 } }))],
      hooks: {
        // uPlot draws after construction returns: the time to the first draw is the chart's render time.
        draw: [() => {
          if (!el.dataset.renderMs) el.dataset.renderMs = (performance.now() - started).toFixed(1);
        }],
        setCursor: [(u) => {
          picked.current = u.cursor.idx ?? null;
        }],
      },
    };
    const data = [props.timestamps, ...props.lines.map((l) => l.values)] as uPlot.AlignedData;
    delete el.dataset.renderMs;
    el.dataset.points = String(props.timestamps.length);
    el.dataset.last = String(props.timestamps[props.timestamps.length - 1] ?? '');
    plot.current = new uPlot(opts, data, el);
    const over = el.querySelector<HTMLElement>('.u-over');
    const onClick = () => {
      const i = picked.current;
      if (i !== null && pick.current) pick.current(props.timestamps[i]!);
    };
    over?.addEventListener('click', onClick);
    const resize = new ResizeObserver(() => plot.current?.setSize({ width: Math.max(240, el.clientWidth), height: props.height ?? 160 }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      over?.removeEventListener('click', onClick);
      plot.current?.destroy();
    };
  }, [props.timestamps, props.lines]);

  const onKey = (e: KeyboardEvent) => {
    const u = plot.current;
    if (!u || props.timestamps.length === 0) return;
    const n = props.timestamps.length;
    let i = picked.current ?? n - 1;
    if (e.key === 'ArrowLeft') i = Math.max(0, i - 1);
    else if (e.key === 'ArrowRight') i = Math.min(n - 1, i + 1);
    else if (e.key === 'Enter' && pick.current) {
      pick.current(props.timestamps[i]!);
      return;
    } else return;
    e.preventDefault();
    const left = u.valToPos(props.timestamps[i]!, 'x');
    u.setCursor({ left, top: u.bbox.height / devicePixelRatio / 2 });
    picked.current = i;
  };

  return (
    <figure class="chart">
      <figcaption>{props.title}</figcaption>
      <div
        ref={box}
        class="chart-box"
        tabIndex={0}
        role="img"
        aria-label={`${props.title} chart${props.onPick ? '; arrow keys move, Enter opens the logs of that minute' : ''}`}
        onKeyDown={onKey}
        data-testid={props.testId}
      />
    </figure>
  );
}
