/** Spanish strings of <aries-login>. */
import type { AriesLoginStrings } from '../strings.js';

export default {
  signIn: 'Iniciar sesión con Aries',
  continueInAries: 'Continuar en la ventana de Aries',
  signingIn: 'Iniciando sesión…',
  cancel: 'Cancelar',
  signedIn: 'Sesión iniciada con Aries',
  signedInAs: 'Sesión iniciada como {name}',
  signOut: 'Cerrar sesión',
  retryIn: 'Reintentar en {seconds} s',
  invalid_config: 'El inicio de sesión no está configurado correctamente.',
  invalid_scope: 'La aplicación pidió a Aries un permiso que no existe.',
  insecure_context: 'El inicio de sesión requiere una página segura (HTTPS).',
  storage_unavailable: 'El inicio de sesión necesita el almacenamiento de sesión, que este navegador bloquea.',
  popup_blocked:
    'Se bloqueó la ventana de inicio de sesión. Permita las ventanas emergentes en este sitio e inténtelo de nuevo.',
  popup_closed: 'La ventana de inicio de sesión se cerró antes de que terminara el proceso.',
  cancelled: 'Se canceló el inicio de sesión.',
  popup_unreachable:
    'La ventana de Aries no puede comunicarse con esta página insertada. Abra la página en una pestaña propia para iniciar sesión.',
  popup_timeout: 'El inicio de sesión tardó demasiado y se cerró la ventana. Inténtelo de nuevo.',
  state_mismatch: 'Esta respuesta no corresponde a ningún inicio de sesión empezado aquí.',
  missing_transaction: 'No se empezó ningún inicio de sesión en esta pestaña, o ya ha terminado.',
  expired_transaction: 'El inicio de sesión caducó. Inténtelo de nuevo.',
  access_denied: 'Se canceló el inicio de sesión en Aries.',
  invalid_grant: 'El código de inicio de sesión caducó o ya se usó. Inténtelo de nuevo.',
  invalid_client: 'Aries no reconoce esta aplicación.',
  redirect_uri_mismatch: 'La dirección de retorno de esta aplicación no está registrada en Aries.',
  rate_limited: 'Demasiados intentos de inicio de sesión. Espere un momento e inténtelo de nuevo.',
  server_error: 'Aries no está disponible en este momento. Inténtelo de nuevo más tarde.',
  network_error: 'No se pudo conectar con Aries. Compruebe su conexión e inténtelo de nuevo.',
  invalid_response: 'Aries envió una respuesta que no se pudo leer.',
  session_expired: 'Su sesión ha finalizado. Vuelva a iniciar sesión.',
  logout_failed: 'Se cerró la sesión aquí, pero el servidor no pudo confirmarlo. Inténtelo de nuevo.',
  load_failed: 'No se pudo cargar el inicio de sesión. Compruebe su conexión e inténtelo de nuevo.',
  unknown_error: 'No se pudo iniciar sesión. Inténtelo de nuevo.',
} satisfies AriesLoginStrings;
