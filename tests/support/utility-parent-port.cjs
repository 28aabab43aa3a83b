// Electron's process.parentPort for a Node child standing in for a utility process (tests/support/fake-electron.ts,
// the bench); like a utility process, the child ends when its parent does.
process.parentPort = {
  postMessage: (message) => process.send(message),
  on: (event, listener) => process.on(event, (data) => listener({ data })),
};
process.on('disconnect', () => process.exit(0));
