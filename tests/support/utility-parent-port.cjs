// Electron's process.parentPort for a Node child standing in for a utility process (tests/support/fake-electron.ts).
process.parentPort = {
  postMessage: (message) => process.send(message),
  on: (event, listener) => process.on(event, (data) => listener({ data })),
};
