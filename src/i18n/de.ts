/** German strings of <aries-login>. */
import type { AriesLoginStrings } from '../labels.js';

export default {
  signIn: 'Mit Aries anmelden',
  continueInAries: 'Im Aries-Fenster fortfahren',
  signingIn: 'Anmeldung läuft…',
  cancel: 'Abbrechen',
  signedIn: 'Mit Aries angemeldet',
  signedInAs: 'Angemeldet als {name}',
  signOut: 'Abmelden',
  retryIn: 'Neuer Versuch in {seconds} s',
  sessionEndsIn: 'Ihre Sitzung endet in {time}',
  staySignedIn: 'Angemeldet bleiben',
  signedInElsewhere: 'In einem anderen Tab mit Aries angemeldet',
  returnToApp: 'Kehren Sie zur App zurück, um die Anmeldung abzuschließen.',
  invalid_config: 'Die Anmeldung ist nicht richtig eingerichtet.',
  invalid_scope: 'Die App hat bei Aries eine Berechtigung angefragt, die es nicht gibt.',
  insufficient_scope: 'Sie haben dieser App bei Aries nicht erlaubt, das zu tun.',
  insecure_context: 'Die Anmeldung erfordert eine sichere Seite (HTTPS).',
  storage_unavailable: 'Die Anmeldung benötigt den Sitzungsspeicher, den dieser Browser blockiert.',
  popup_blocked:
    'Das Anmeldefenster wurde blockiert. Erlauben Sie Pop-ups für diese Website und versuchen Sie es erneut.',
  popup_closed: 'Das Anmeldefenster wurde geschlossen, bevor die Anmeldung abgeschlossen war.',
  cancelled: 'Die Anmeldung wurde abgebrochen.',
  popup_unreachable:
    'Das Aries-Fenster kann sich nicht bei dieser eingebetteten Seite zurückmelden. Öffnen Sie die Seite in einem eigenen Tab, um sich anzumelden.',
  popup_timeout:
    'Die Anmeldung hat zu lange gedauert, daher wurde das Anmeldefenster geschlossen. Bitte versuchen Sie es erneut.',
  state_mismatch: 'Diese Anmeldeantwort gehört zu keiner Anmeldung, die hier gestartet wurde.',
  missing_transaction: 'In diesem Tab wurde keine Anmeldung gestartet oder sie ist bereits abgeschlossen.',
  expired_transaction: 'Die Anmeldung ist abgelaufen. Bitte versuchen Sie es erneut.',
  access_denied: 'Die Anmeldung wurde bei Aries abgebrochen.',
  invalid_grant: 'Der Anmeldecode ist abgelaufen oder wurde bereits verwendet. Bitte versuchen Sie es erneut.',
  invalid_client: 'Aries erkennt diese App nicht.',
  redirect_uri_mismatch: 'Die Rücksprungadresse dieser App ist bei Aries nicht registriert.',
  rate_limited: 'Zu viele Anmeldeversuche. Bitte warten Sie kurz und versuchen Sie es dann erneut.',
  server_error: 'Aries ist gerade nicht verfügbar. Bitte versuchen Sie es später erneut.',
  network_error: 'Aries ist nicht erreichbar. Prüfen Sie Ihre Verbindung und versuchen Sie es erneut.',
  invalid_request: 'Die Anmeldeanfrage oder die Antwort von Aries war fehlerhaft. Bitte versuchen Sie es erneut.',
  invalid_response: 'Aries hat eine Antwort gesendet, die nicht gelesen werden konnte.',
  session_expired: 'Ihre Sitzung ist abgelaufen. Bitte melden Sie sich erneut an.',
  login_required: 'Sie sind nicht angemeldet, oder Ihre Anmeldung ist abgelaufen. Bitte melden Sie sich an.',
  token_held_by_backend: 'Der Server der App verwahrt das Token dieser Anmeldung: Anfragen an Aries laufen über ihn.',
  logout_failed:
    'Sie wurden hier abgemeldet, aber der Server konnte es nicht bestätigen. Bitte versuchen Sie es erneut.',
  load_failed: 'Die Anmeldung konnte nicht geladen werden. Prüfen Sie Ihre Verbindung und versuchen Sie es erneut.',
  unknown_error: 'Die Anmeldung ist fehlgeschlagen. Bitte versuchen Sie es erneut.',
} satisfies AriesLoginStrings;
