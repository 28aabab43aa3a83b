import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import type { Socket } from 'node:net';

export type ProxyMode = 'system' | 'manual' | 'none';

/** How the AMS client reaches AMS on an office network. */
export interface AmsNetwork {
  /** The proxy to tunnel through (http://host:port); absent: direct. */
  proxyUrl?: string;
  /** Trust anchors added to Node's own for HTTPS to AMS: the OS certificate store. */
  extraCa?: string[];
}

export interface NetworkSettings {
  proxyMode?: ProxyMode;
  proxyUrl?: string;
  trustSystemCa?: boolean;
}

export interface NetworkDeps {
  /** The OS's proxy for a URL (Electron: session.resolveProxy); without it, HTTPS_PROXY / NO_PROXY. */
  resolveSystemProxy?: (url: string) => Promise<string | undefined>;
  env?: NodeJS.ProcessEnv;
  /** The OS certificate store (PEM); a stand-in in tests. */
  systemCa?: () => string[];
}

/**
 * Electron's session.resolveProxy answer ("PROXY host:port; DIRECT", PAC
 * syntax) as a proxy URL; undefined for DIRECT. SOCKS entries are skipped:
 * the AMS client speaks HTTP CONNECT only.
 */
export function proxyFromPacResult(result: string): string | undefined {
  for (const entry of result.split(';')) {
    const [kind, hostPort] = entry.trim().split(/\s+/);
    if (kind === 'DIRECT') return undefined;
    if ((kind === 'PROXY' || kind === 'HTTP') && hostPort) return `http://${hostPort}`;
    if (kind === 'HTTPS' && hostPort) return `https://${hostPort}`;
  }
  return undefined;
}

/** HTTPS_PROXY / HTTP_PROXY (either case), unless NO_PROXY names the host (suffixes, ports and * as curl reads them). */
export function proxyFromEnv(target: string, env: NodeJS.ProcessEnv): string | undefined {
  const url = new URL(target);
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  const noProxy = (env['NO_PROXY'] ?? env['no_proxy'] ?? '').split(/[,\s]+/).filter(Boolean);
  for (const rule of noProxy) {
    if (rule === '*') return undefined;
    const [ruleHost = '', rulePort] = rule.toLowerCase().replace(/^\[|\]$/g, '').split(/:(?=\d+$)/);
    const bare = ruleHost.replace(/^\*?\./, '');
    if ((host === bare || host.endsWith(`.${bare}`)) && (!rulePort || rulePort === port)) return undefined;
  }
  const value = url.protocol === 'https:' ? (env['HTTPS_PROXY'] ?? env['https_proxy'] ?? env['HTTP_PROXY'] ?? env['http_proxy']) : (env['HTTP_PROXY'] ?? env['http_proxy']);
  const proxy = value?.trim();
  if (!proxy) return undefined;
  return /^[a-z]+:\/\//i.test(proxy) ? proxy : `http://${proxy}`;
}

/** The OS certificate store, where this Node has it (22.15+, 23.10+). */
export function systemCaCertificates(): string[] {
  const get = (tls as { getCACertificates?: (type: 'system' | 'default') => string[] }).getCACertificates;
  try {
    return get ? get('system') : [];
  } catch {
    return [];
  }
}

/** The settings (and, for the system proxy, the OS or the environment) applied to one AMS URL. */
export async function resolveAmsNetwork(amsUrl: string, settings: NetworkSettings, deps: NetworkDeps = {}): Promise<AmsNetwork> {
  const network: AmsNetwork = {};
  const mode = settings.proxyMode ?? 'system';
  if (mode === 'manual' && settings.proxyUrl) network.proxyUrl = settings.proxyUrl;
  if (mode === 'system') {
    const proxy = deps.resolveSystemProxy ? await deps.resolveSystemProxy(amsUrl) : proxyFromEnv(amsUrl, deps.env ?? process.env);
    if (proxy) network.proxyUrl = proxy;
  }
  if ((settings.trustSystemCa ?? true) && amsUrl.startsWith('https:')) {
    const ca = (deps.systemCa ?? systemCaCertificates)();
    if (ca.length) network.extraCa = ca;
  }
  return network;
}

/**
 * The agents axios uses for `target`: a CONNECT tunnel through the proxy, and Node's CAs plus the OS store.
 * The proxy agent (with its debug and assert dependencies) is loaded only when a proxy is set.
 */
export async function agentsFor(network: AmsNetwork = {}, target?: string): Promise<{ httpAgent?: http.Agent; httpsAgent?: https.Agent }> {
  const ca = network.extraCa?.length ? [...tls.rootCertificates, ...network.extraCa] : undefined;
  if (network.proxyUrl) {
    const { HttpsProxyAgent } = await import('https-proxy-agent');
    const agent = new HttpsProxyAgent(network.proxyUrl, ca ? { ca } : {});
    // The constructor's options reach only the proxy connection; the TLS upgrade to AMS takes
    // the request's options, which Node's Agent merges from agent.options. That upgrade drops
    // the host, so an AMS addressed by IP would be checked against "localhost": name it.
    const tlsOptions: tls.ConnectionOptions = ca ? { ca } : {};
    const host = target ? new URL(target).hostname.replace(/^\[|\]$/g, '') : '';
    if (net.isIP(host)) tlsOptions.checkServerIdentity = (_name, cert) => tls.checkServerIdentity(host, cert);
    Object.assign(agent.options, tlsOptions);
    return { httpAgent: agent, httpsAgent: agent };
  }
  // Node's global agent's settings (keep-alive, LIFO, 5 s idle), with SO_KEEPALIVE set once per socket;
  // an https agent only for an https:// AMS (making one loads TLS, which an http:// look-up never needs).
  const options = { keepAlive: true, scheduling: 'lifo', timeout: 5_000 } as const;
  const secure = target === undefined || target.startsWith('https:');
  return {
    httpAgent: keepAliveOnce(new http.Agent(options)),
    ...(secure ? { httpsAgent: keepAliveOnce(new https.Agent({ ...options, ...(ca ? { ca } : {}) })) } : {}),
  };
}

/**
 * Node's agent sets SO_KEEPALIVE on a socket each time it goes back to the pool: a system call
 * per request (~50 µs here, 8% of a 1,000-entry refresh). Once per socket is enough; the rest of
 * what Node does on the way back (unref, the idle timeout) is kept.
 */
export function keepAliveOnce<A extends http.Agent>(agent: A): A {
  const configured = new WeakSet<Socket>();
  const keep = agent.keepSocketAlive.bind(agent);
  agent.keepSocketAlive = (duplex) => {
    // The agent's own sockets are net.Sockets (typed as streams so subclasses may use others).
    const socket = duplex as Socket;
    if (!configured.has(socket)) {
      configured.add(socket);
      return keep(socket);
    }
    socket.unref();
    const timeout = (agent as { options?: { timeout?: number } }).options?.timeout ?? 0;
    if (socket.timeout !== timeout) socket.setTimeout(timeout);
    return true;
  };
  return agent;
}
