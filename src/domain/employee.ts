import * as z from 'zod';

/** INFORMASI DATA PEGAWAI as AMS sends it; LOCK shows it read-only. */
export const employeeSchema = z.object({
  name: z.string().min(1).max(128),
  unit: z.string().min(1).max(128),
  organization: z.string().min(1).max(128),
  email: z.email().max(128),
  locality: z.string().min(1).max(128),
  province: z.string().min(1).max(128),
  country: z.string().length(2),
});
export type Employee = z.infer<typeof employeeSchema>;

export interface SubjectAttribute {
  /** node-forge / X.520 short name */
  shortName: 'CN' | 'OU' | 'O' | 'L' | 'ST' | 'C' | 'E';
  value: string;
}

/**
 * The certificate subject built from the employee data, in the order LOCK and
 * the AMS CA use: C, ST, L, O, OU, CN, emailAddress.
 */
export function subjectFor(employee: Employee): SubjectAttribute[] {
  return [
    { shortName: 'C', value: employee.country },
    { shortName: 'ST', value: employee.province },
    { shortName: 'L', value: employee.locality },
    { shortName: 'O', value: employee.organization },
    { shortName: 'OU', value: employee.unit },
    { shortName: 'CN', value: employee.name },
    { shortName: 'E', value: employee.email },
  ];
}

/** Equal subjects regardless of attribute order. */
export function sameSubject(a: readonly SubjectAttribute[], b: readonly SubjectAttribute[]): boolean {
  const key = (attrs: readonly SubjectAttribute[]) =>
    attrs
      .map((x) => `${x.shortName}=${x.value}`)
      .sort()
      .join('\n');
  return key(a) === key(b);
}
