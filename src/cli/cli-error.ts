/**
 * The one line `rubato` prints for an error no command turned into a usage error, and the exit status: 2 when the
 * user can fix it with an option (a busy port), 1 otherwise. Stacks only with `RUBATO_DEBUG=1`: a user needs the cause,
 * not the call chain.
 *
 * @example
 * try { await program.parseAsync(process.argv); } catch (error) { const { line, status } = describeCliError(error); … }
 */
export function describeCliError(error: unknown, debug = process.env.RUBATO_DEBUG === '1'): { line: string; status: 1 | 2 } {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
    const { address, port } = error as { address?: string; port?: number };
    const where = `${address ?? 'the address'}:${port ?? '?'}`;
    const why = code === 'EADDRINUSE' ? `${where} is already in use` : code === 'EACCES' ? `no permission to listen on ${where}` : `${address} is not an address of this machine`;
    return { line: `rubato serve: ${why}; pass another --port (--port 0 picks a free one) or --host`, status: 2 };
  }
  const message = error instanceof Error ? error.message : String(error);
  const stack = debug && error instanceof Error && error.stack ? `\n${error.stack}` : '';
  return { line: `rubato: ${message.split('\n')[0]}${stack ? stack : ' (RUBATO_DEBUG=1 shows the stack)'}`, status: 1 };
}
