/** A confirmed register import runs in the background: poll its status until the job has ended. */
export async function importOutcome<T extends { state: string }>(read: () => Promise<{ body: T }>, tries = 400): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const { body } = await read();
    if (body.state !== 'importing') return body;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('the import job did not end');
}
