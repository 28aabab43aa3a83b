import type { Output } from '../../src/contract/api';
import { useT } from './use-t';

/** The download's real-use self-test in words: the chain to the root, and what the CA's own OCSP/CRL said. */
export function RealUseResult({ realUse }: { realUse: Output<'download.run'>['realUse'] }) {
  const t = useT();
  if (!realUse) return null;
  // Without the issuing CA's certificate no answer could be checked: said as such, not as "offline".
  const unavailable = realUse.chain === 'missing' ? 'rtUnavailableNoChain' : 'rtUnavailable';
  const revocation = realUse.revocation === 'good' ? (realUse.via === 'crl' ? 'rtGood_crl' : 'rtGood_ocsp') : realUse.revocation === 'unknown' ? 'rtUnknown' : unavailable;
  return (
    <ul className="real-use" data-testid="real-use">
      <li className={realUse.chain === 'verified' ? 'good' : 'warn'} data-testid="real-use-chain" data-chain={realUse.chain}>
        {t(realUse.chain === 'verified' ? 'rtChainVerified' : 'rtChainMissing')}
      </li>
      <li className={realUse.revocation === 'good' ? 'good' : 'warn'} data-testid="real-use-revocation" data-revocation={realUse.revocation}>
        {t(revocation)}
      </li>
    </ul>
  );
}
