import type { Locale } from '../session';

/** Every text the connect page shows, in Spanish and English (Siigo and Alegra users are Spanish speakers). */
export const MESSAGES = {
  es: {
    title: 'Conecta tu sistema contable',
    intro:
      'Elige el sistema que usa tu empresa. Tus credenciales van directo a un almacén cifrado: nadie las ve.',
    choose: 'Sistemas disponibles',
    otherErp: 'Elegir otro sistema',
    connect: 'Conectar',
    connecting: 'Conectando…',
    continueTo: (erp: string) => `Continuar a ${erp}`,
    oauthIntro: (erp: string) =>
      `Te llevaremos a ${erp} para que inicies sesión y autorices el acceso. Después volverás aquí.`,
    netsuiteOAuth: 'Conectar con OAuth 2.0 (recomendado)',
    netsuiteTba: 'Usar Token-Based Authentication (integraciones existentes)',
    reconnectIntro: (erp: string) => `Vuelve a conectar ${erp} para que la integración siga funcionando.`,
    required: 'Este campo es obligatorio.',
    tooShort: (n: number) => `Debe tener al menos ${n} caracteres.`,
    tooLong: (n: number) => `Debe tener como máximo ${n} caracteres.`,
    pattern: 'El valor no tiene el formato esperado; revisa la ayuda del campo.',
    email: 'Escribe un correo válido (nombre@empresa.com).',
    invalid: 'Revisa este valor.',
    fixErrors: 'Revisa los campos marcados.',
    erpRefused: (erp: string, said: string) => `${erp} no aceptó estos datos: «${said}»`,
    erpUnreachable: (erp: string) =>
      `No pudimos comunicarnos con ${erp}. Inténtalo de nuevo en unos minutos.`,
    otherCompany: (erp: string) =>
      `Esta conexión es de otra empresa de ${erp}. Conecta la misma empresa que estaba conectada.`,
    consentFailed: (erp: string, said: string) => `${erp} no completó la autorización: «${said}»`,
    tryAgain: 'Intentar de nuevo',
    notConfigured: (erp: string) => `La conexión con ${erp} no está disponible en este momento.`,
    doneTitle: '¡Listo!',
    done: (erp: string) => `${erp} quedó conectado. Ya puedes cerrar esta ventana.`,
    failedTitle: 'No se pudo conectar',
    failed: 'Esta conexión no se completó. Pide un enlace nuevo a la aplicación desde la que llegaste.',
    expiredTitle: 'Este enlace venció',
    expired: 'Pide un enlace nuevo a la aplicación desde la que llegaste.',
    usedTitle: 'Este enlace ya se usó',
    used: 'Por seguridad, cada enlace se abre una sola vez y en un solo navegador. Pide un enlace nuevo.',
    notFoundTitle: 'Enlace no válido',
    notFound: 'Revisa el enlace o pide uno nuevo a la aplicación desde la que llegaste.',
    badStateTitle: 'La autorización no es válida',
    badState:
      'Esta respuesta ya se usó, venció o no corresponde a este navegador. Vuelve a abrir la página de conexión.',
    reconnectTitle: 'Volver a conectar QuickBooks',
    reconnect:
      'Para volver a conectar tu empresa de QuickBooks, entra en la aplicación desde la que la conectaste y elige «Volver a conectar»: te dará un enlace nuevo.',
    language: 'English',
    secretNote: 'No mostramos este valor de nuevo.',
  },
  en: {
    title: 'Connect your accounting system',
    intro:
      'Choose the system your company uses. Your credentials go straight to an encrypted store: nobody sees them.',
    choose: 'Available systems',
    otherErp: 'Choose another system',
    connect: 'Connect',
    connecting: 'Connecting…',
    continueTo: (erp: string) => `Continue to ${erp}`,
    oauthIntro: (erp: string) =>
      `We will take you to ${erp} to sign in and allow access. Then you will come back here.`,
    netsuiteOAuth: 'Connect with OAuth 2.0 (recommended)',
    netsuiteTba: 'Use Token-Based Authentication (existing integrations)',
    reconnectIntro: (erp: string) => `Connect ${erp} again so that the integration keeps working.`,
    required: 'This field is required.',
    tooShort: (n: number) => `Use at least ${n} characters.`,
    tooLong: (n: number) => `Use at most ${n} characters.`,
    pattern: 'This value does not have the expected format; see the field help.',
    email: 'Enter a valid e-mail (name@company.com).',
    invalid: 'Check this value.',
    fixErrors: 'Check the marked fields.',
    erpRefused: (erp: string, said: string) => `${erp} did not accept these details: “${said}”`,
    erpUnreachable: (erp: string) => `We could not reach ${erp}. Try again in a few minutes.`,
    otherCompany: (erp: string) =>
      `This connection belongs to another ${erp} company. Connect the same company that was connected.`,
    consentFailed: (erp: string, said: string) => `${erp} did not complete the authorization: “${said}”`,
    tryAgain: 'Try again',
    notConfigured: (erp: string) => `Connecting ${erp} is not available right now.`,
    doneTitle: 'Done!',
    done: (erp: string) => `${erp} is connected. You can close this window.`,
    failedTitle: 'Could not connect',
    failed: 'This connection was not completed. Ask the application you came from for a new link.',
    expiredTitle: 'This link has expired',
    expired: 'Ask the application you came from for a new link.',
    usedTitle: 'This link was already used',
    used: 'For your safety each link opens once, in one browser. Ask for a new link.',
    notFoundTitle: 'Invalid link',
    notFound: 'Check the link or ask the application you came from for a new one.',
    badStateTitle: 'The authorization is not valid',
    badState:
      'This answer was already used, has expired or belongs to another browser. Open the connect page again.',
    reconnectTitle: 'Reconnect QuickBooks',
    reconnect:
      'To reconnect your QuickBooks company, go to the application you connected it from and choose “Reconnect”: it will give you a new link.',
    language: 'Español',
    secretNote: 'We never show this value again.',
  },
} as const;

export type Messages = (typeof MESSAGES)[Locale];

/**
 * The page's language: `?lang=`, else the session's, else the browser's first of es/en (Accept-Language, RFC 9110
 * §12.5.4, by quality), else English.
 */
export function pickLocale(
  query: string | undefined,
  session: Locale | undefined,
  accept: string | undefined,
): Locale {
  if (query === 'es' || query === 'en') return query;
  if (session) return session;
  const ranked = (accept ?? '')
    .split(',')
    .map((part) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)/.exec(p)?.[1]).find(Boolean);
      return { lang: (tag ?? '').toLowerCase().split('-')[0], q: q === undefined ? 1 : Number(q) };
    })
    .filter((x) => x.lang === 'es' || x.lang === 'en')
    .sort((a, b) => b.q - a.q);
  return (ranked[0]?.lang as Locale | undefined) ?? 'en';
}
