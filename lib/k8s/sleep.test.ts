import { expect, it } from "vitest";
import { sleep, Waker } from "./sleep";

it("a wake cuts a sleep short, and a wake while awake ends the next sleep at once", async () => {
  const waker = new Waker();
  const signal = new AbortController().signal;
  let t = Date.now();
  setTimeout(() => waker.wake(), 20);
  await waker.sleep(5000, signal);
  expect(Date.now() - t).toBeLessThan(1000);
  waker.wake();
  t = Date.now();
  await waker.sleep(5000, signal);
  expect(Date.now() - t).toBeLessThan(100);
});

it("abort ends a sleep and leaves no listener behind", async () => {
  const ctrl = new AbortController();
  for (let i = 0; i < 50; i++) await sleep(1, ctrl.signal);
  const t = Date.now();
  setTimeout(() => ctrl.abort(), 20);
  await sleep(5000, ctrl.signal);
  expect(Date.now() - t).toBeLessThan(1000);
});
