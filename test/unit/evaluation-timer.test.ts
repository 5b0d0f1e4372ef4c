import { startEvaluationTimer } from '../../local/evaluation-timer';

describe('the local evaluation timer', () => {
  it('never overlaps runs, logs a failure and keeps going', async () => {
    const log: string[] = [];
    let runs = 0;
    let release: () => void = () => {};
    const timer = startEvaluationTimer(
      () => {
        runs++;
        if (runs === 1) return new Promise<void>((r) => (release = r));
        return Promise.reject(new Error('table unreachable'));
      },
      60_000,
      (m) => log.push(m),
    );
    const first = timer.runNow();
    const overlapping = timer.runNow();
    expect(runs).toBe(1);
    release();
    await Promise.all([first, overlapping]);
    await timer.runNow();
    expect(runs).toBe(2);
    expect(log).toEqual(['evaluation failed: table unreachable']);
    await timer.stop();
  });
});
