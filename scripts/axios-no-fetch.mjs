// Stands in for axios/lib/adapters/fetch.js in the bundles (see scripts/build.mjs): no fetch adapter.
export const getFetch = () => false;
export default false;
