import { useT } from './use-t';

/** Tab "Bundle p12": filled by its own issue. */
export function BundleTab() {
  const t = useT();
  return (
    <section className="tab-panel" aria-label={t('tabBundle')}>
      <p>{t('bundleIntro')}</p>
    </section>
  );
}
