import type { KeyObject } from 'node:crypto';
import { subjectFor, type Employee } from '../../src/domain/employee';
import { MAMAN_EMPLOYEE } from '../../src-main/mock-ams/seed-users';
import type { TestCa } from '../../src-main/mock-ams/test-ca';
import { forgePublicKey } from '../../src-main/services/forge-util';
import { softwareSigner } from '../../src-main/services/software-key';

/** A certificate for a software key, valid from a minute ago for a day, from the test CA (no live AMS URLs). */
export function issueDayCertificate(ca: TestCa, key: KeyObject, employee: Employee = MAMAN_EMPLOYEE) {
  return ca.issue({
    subject: subjectFor(employee),
    email: employee.email,
    publicKey: forgePublicKey(softwareSigner(key)),
    notBefore: new Date(Date.now() - 60_000),
    notAfter: new Date(Date.now() + 86_400_000),
    baseUrl: 'http://127.0.0.1:1',
  });
}
