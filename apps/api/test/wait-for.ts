/**
 * Polls `condition` every 50 ms for up to 5 minutes: a limit against hanging, never a speed
 * requirement (tests count, they do not time).
 */
export async function waitFor(condition: () => Promise<boolean> | boolean, what = 'the condition'): Promise<void> {
  for (let i = 0; i < 6000; i++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${what} was not met within 5 minutes`);
}
