<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE" sourcelanguage="en_US">
<context>
    <name>Nimbus::AvailabilityModel</name>
    <message>
        <source>this computer</source>
        <translation>dieser Computer</translation>
    </message>
</context>
<context>
    <name>Nimbus::AvailabilityView</name>
    <message>
        <source>last heard %1 ago</source>
        <translation>zuletzt vor %1 gehört</translation>
    </message>
    <message>
        <source>up</source>
        <translation>erreichbar</translation>
    </message>
    <message>
        <source>suspect: probing</source>
        <translation>verdächtig: wird geprüft</translation>
    </message>
    <message>
        <source>down: not a peer any more</source>
        <translation>ausgefallen: kein Peer mehr</translation>
    </message>
    <message>
        <source>this computer</source>
        <translation>dieser Computer</translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation>%1, %2</translation>
    </message>
    <message>
        <source>/%1 claim, announced %2</source>
        <translation>/%1-Anspruch, angekündigt %2</translation>
    </message>
    <message>
        <source>/%1 claim</source>
        <translation>/%1-Anspruch</translation>
    </message>
    <message>
        <source>Availability</source>
        <translation>Verfügbarkeit</translation>
    </message>
    <message>
        <source>Every address several nodes claim or this client uses: the serving node, the standbys in the order they would take over, their health and the last hour&apos;s outages.</source>
        <translation>Jede Adresse, die mehrere Knoten beanspruchen oder die dieser Client nutzt: der bedienende Knoten, die Reserveknoten in der Reihenfolge, in der sie übernehmen würden, ihr Zustand und die Ausfälle der letzten Stunde.</translation>
    </message>
    <message>
        <source>No address is shared by several nodes or used by this client yet.</source>
        <translation>Noch teilen sich keine Knoten eine Adresse, und dieser Client nutzt noch keine.</translation>
    </message>
    <message>
        <source>served by %1</source>
        <translation>bedient von %1</translation>
    </message>
    <message>
        <source>nobody serves it</source>
        <translation>niemand bedient sie</translation>
    </message>
    <message>
        <source>used by this client</source>
        <translation>von diesem Client genutzt</translation>
    </message>
    <message>
        <source>%1 on %2, %3</source>
        <translation>%1 in %2, %3</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Rolle</translation>
    </message>
    <message>
        <source>Node</source>
        <translation>Knoten</translation>
    </message>
    <message>
        <source>Why in this place</source>
        <translation>Warum an dieser Stelle</translation>
    </message>
    <message>
        <source>Health</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>Serving</source>
        <translation>Bedient</translation>
    </message>
    <message>
        <source>Standby %1</source>
        <translation>Reserve %1</translation>
    </message>
    <message>
        <source>%1: %2, %3, %4</source>
        <translation>%1: %2, %3, %4</translation>
    </message>
    <message>
        <source>No live node claims it: traffic to it is dropped.</source>
        <translation>Kein erreichbarer Knoten beansprucht sie: Verkehr dorthin wird verworfen.</translation>
    </message>
    <message>
        <source>Nodes claiming %1</source>
        <translation>Knoten, die %1 beanspruchen</translation>
    </message>
    <message>
        <source>No shared or used address matches the filter.</source>
        <translation>Keine geteilte oder genutzte Adresse passt zum Filter.</translation>
    </message>
</context>
<context>
    <name>Nimbus::ClaimModel</name>
    <message>
        <source>this node</source>
        <translation>dieser Knoten</translation>
    </message>
    <message>
        <source>nobody (unreachable)</source>
        <translation>niemand (unerreichbar)</translation>
    </message>
    <message>
        <source>Served here</source>
        <translation>Hier bedient</translation>
    </message>
    <message>
        <source>Local</source>
        <translation>Lokal</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>Ja</translation>
    </message>
    <message>
        <source>No</source>
        <translation>Nein</translation>
    </message>
    <message>
        <source>No live node claims this range; traffic to it is dropped.</source>
        <translation>Kein erreichbarer Knoten beansprucht diesen Bereich; Verkehr dorthin wird verworfen.</translation>
    </message>
    <message>
        <source>Address range</source>
        <translation>Adressbereich</translation>
    </message>
    <message>
        <source>Served by</source>
        <translation>Bedient von</translation>
    </message>
    <message>
        <source>Other claimants</source>
        <translation>Weitere Anspruchsteller</translation>
    </message>
    <message>
        <source>Used by this client</source>
        <translation>Von diesem Rechner genutzt</translation>
    </message>
    <message>
        <source>Network</source>
        <translation>Netzwerk</translation>
    </message>
</context>
<context>
    <name>Nimbus::ClientOptions</name>
    <message>
        <source>Nimbus mesh VPN client</source>
        <translation>Nimbus, Mesh-VPN-Client</translation>
    </message>
    <message>
        <source>The helper&apos;s control socket (default: $NIMBUS_SOCKET or /run/nimbus/control.sock).</source>
        <translation>Der Steuer-Socket des Hilfsdienstes (Standard: $NIMBUS_SOCKET oder /run/nimbus/control.sock).</translation>
    </message>
    <message>
        <source>Start in the tray, without the window.</source>
        <translation>Im Infobereich starten, ohne Fenster.</translation>
    </message>
    <message>
        <source>Add the VpnCloud YAML file as a profile named after the file, without asking (nothing happens if that profile exists).</source>
        <translation>Die VpnCloud-YAML-Datei ohne Rückfrage als Profil mit dem Namen der Datei hinzufügen (nichts geschieht, wenn es dieses Profil schon gibt).</translation>
    </message>
</context>
<context>
    <name>Nimbus::ConnectionController</name>
    <message>
        <source>Cannot connect</source>
        <translation>Verbinden nicht möglich</translation>
    </message>
    <message>
        <source>There is no profile called “%1”.</source>
        <translation>Es gibt kein Profil namens „%1“.</translation>
    </message>
    <message>
        <source>Cannot connect %1</source>
        <translation>%1 kann nicht verbunden werden</translation>
    </message>
    <message>
        <source>No secret is stored for profile “%1”.</source>
        <translation>Für das Profil „%1“ ist kein Geheimnis gespeichert.</translation>
    </message>
    <message>
        <source>Could not connect %1</source>
        <translation>%1 konnte nicht verbunden werden</translation>
    </message>
    <message>
        <source>Cannot disconnect %1</source>
        <translation>%1 kann nicht getrennt werden</translation>
    </message>
    <message>
        <source>Could not disconnect %1</source>
        <translation>%1 konnte nicht getrennt werden</translation>
    </message>
    <message>
        <source>Connected to the helper again.</source>
        <translation>Wieder mit dem Hilfsdienst verbunden.</translation>
    </message>
    <message>
        <source>Connecting “%1” automatically.</source>
        <translation>„%1“ wird automatisch verbunden.</translation>
    </message>
    <message>
        <source>Could not connect %1 automatically</source>
        <translation>%1 konnte nicht automatisch verbunden werden</translation>
    </message>
</context>
<context>
    <name>Nimbus::CopyableTableView</name>
    <message>
        <source>&amp;Copy</source>
        <translation>&amp;Kopieren</translation>
    </message>
    <message>
        <source>Select &amp;All</source>
        <translation>&amp;Alles auswählen</translation>
    </message>
</context>
<context>
    <name>Nimbus::ErrorText</name>
    <message>
        <source>The helper did not understand the request.</source>
        <translation>Der Hilfsdienst hat die Anfrage nicht verstanden.</translation>
    </message>
    <message>
        <source>The helper speaks a different protocol version. Update Nimbus.</source>
        <translation>Der Hilfsdienst spricht eine andere Protokollversion. Bitte Nimbus aktualisieren.</translation>
    </message>
    <message>
        <source>The connection to the helper was not set up.</source>
        <translation>Die Verbindung zum Hilfsdienst wurde nicht eingerichtet.</translation>
    </message>
    <message>
        <source>The helper does not support this action.</source>
        <translation>Der Hilfsdienst unterstützt diese Aktion nicht.</translation>
    </message>
    <message>
        <source>You are not allowed to do this. Add your user to group nimbus: sudo usermod -aG nimbus %1 (then log out and in again).</source>
        <translation>Dazu fehlt die Berechtigung. Fügen Sie Ihren Benutzer zur Gruppe nimbus hinzu: sudo usermod -aG nimbus %1 (danach ab- und wieder anmelden).</translation>
    </message>
    <message>
        <source>The profile is not valid.</source>
        <translation>Das Profil ist ungültig.</translation>
    </message>
    <message>
        <source>The helper does not know this network.</source>
        <translation>Der Hilfsdienst kennt dieses Netzwerk nicht.</translation>
    </message>
    <message>
        <source>This network is already connected.</source>
        <translation>Dieses Netzwerk ist bereits verbunden.</translation>
    </message>
    <message>
        <source>The network could not be started.</source>
        <translation>Das Netzwerk konnte nicht gestartet werden.</translation>
    </message>
    <message>
        <source>The helper is busy. Try again in a moment.</source>
        <translation>Der Hilfsdienst ist beschäftigt. Bitte gleich noch einmal versuchen.</translation>
    </message>
    <message>
        <source>The helper hit an internal error.</source>
        <translation>Im Hilfsdienst ist ein interner Fehler aufgetreten.</translation>
    </message>
    <message>
        <source>The connection to the helper was lost.</source>
        <translation>Die Verbindung zum Hilfsdienst ist abgebrochen.</translation>
    </message>
    <message>
        <source>The helper reported an error (%1).</source>
        <translation>Der Hilfsdienst meldet einen Fehler (%1).</translation>
    </message>
    <message>
        <source>Connecting to the Nimbus helper at %1…</source>
        <translation>Verbinde mit dem Nimbus-Hilfsdienst unter %1 …</translation>
    </message>
    <message>
        <source>Connected to the Nimbus helper.</source>
        <translation>Mit dem Nimbus-Hilfsdienst verbunden.</translation>
    </message>
    <message>
        <source>The Nimbus helper is not running (nothing listens at %1). Start it with: sudo systemctl start nimbus-helper. Nimbus reconnects by itself.</source>
        <translation>Der Nimbus-Hilfsdienst läuft nicht (unter %1 lauscht niemand). Starten mit: sudo systemctl start nimbus-helper. Nimbus verbindet sich danach von selbst.</translation>
    </message>
    <message>
        <source>You may not open the helper&apos;s socket %1. Add your user to group nimbus: sudo usermod -aG nimbus %2 (then log out and in again).</source>
        <translation>Sie dürfen den Socket %1 des Hilfsdienstes nicht öffnen. Fügen Sie Ihren Benutzer zur Gruppe nimbus hinzu: sudo usermod -aG nimbus %2 (danach ab- und wieder anmelden).</translation>
    </message>
    <message>
        <source>The Nimbus helper at %1 speaks an incompatible protocol (%2). Install matching versions of Nimbus and its helper.</source>
        <translation>Der Nimbus-Hilfsdienst unter %1 spricht ein inkompatibles Protokoll (%2). Installieren Sie passende Versionen von Nimbus und Hilfsdienst.</translation>
    </message>
    <message>
        <source>Connecting to helper</source>
        <translation>Verbinde mit Hilfsdienst</translation>
    </message>
    <message>
        <source>Helper connected</source>
        <translation>Hilfsdienst verbunden</translation>
    </message>
    <message>
        <source>Helper not running</source>
        <translation>Hilfsdienst läuft nicht</translation>
    </message>
    <message>
        <source>No permission for the helper</source>
        <translation>Keine Berechtigung für den Hilfsdienst</translation>
    </message>
    <message>
        <source>Incompatible helper</source>
        <translation>Inkompatibler Hilfsdienst</translation>
    </message>
    <message>
        <source>No secret is stored for this profile.</source>
        <translation>Für dieses Profil ist kein Geheimnis gespeichert.</translation>
    </message>
    <message>
        <source>No keychain is available on this desktop (Secret Service or KWallet).</source>
        <translation>Auf diesem Desktop ist kein Schlüsselbund verfügbar (Secret Service oder KWallet).</translation>
    </message>
    <message>
        <source>The keychain refused access.</source>
        <translation>Der Schlüsselbund hat den Zugriff verweigert.</translation>
    </message>
    <message>
        <source>The keychain reported an error.</source>
        <translation>Der Schlüsselbund meldet einen Fehler.</translation>
    </message>
    <message>
        <source>The process behind %1 does not run as root or as the nimbus service user, so Nimbus does not talk to it (%2).</source>
        <translation>Der Prozess hinter %1 läuft weder als root noch als Dienstbenutzer nimbus, daher spricht Nimbus nicht mit ihm (%2).</translation>
    </message>
    <message>
        <source>Untrusted helper</source>
        <translation>Nicht vertrauenswürdiger Hilfsdienst</translation>
    </message>
    <message>
        <source>This goes beyond a limit of the helper.</source>
        <translation>Das überschreitet eine Grenze des Hilfsdienstes.</translation>
    </message>
</context>
<context>
    <name>Nimbus::EventModel</name>
    <message>
        <source>Peer connected</source>
        <translation>Peer verbunden</translation>
    </message>
    <message>
        <source>Peer disconnected</source>
        <translation>Peer getrennt</translation>
    </message>
    <message>
        <source>Network state</source>
        <translation>Netzwerkzustand</translation>
    </message>
    <message>
        <source>Helper message</source>
        <translation>Meldung des Hilfsdienstes</translation>
    </message>
    <message>
        <source>Nimbus</source>
        <translation>Nimbus</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <source>Network</source>
        <translation>Netzwerk</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>Ereignis</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Details</translation>
    </message>
    <message>
        <source>%1 connected</source>
        <translation>%1 verbunden</translation>
    </message>
    <message>
        <source>%1 connected, encryption %2</source>
        <translation>%1 verbunden, Verschlüsselung %2</translation>
    </message>
    <message>
        <source>%1 disconnected: %2</source>
        <translation>%1 getrennt: %2</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>Connection recovered</source>
        <translation>Verbindung wiederhergestellt</translation>
    </message>
    <message>
        <source>This computer</source>
        <translation>Dieser Computer</translation>
    </message>
    <message>
        <source>%1 moved to another address (was %2); traffic follows it</source>
        <translation>%1 ist zu einer anderen Adresse gewechselt (vorher %2); der Verkehr folgt</translation>
    </message>
    <message>
        <source>%1 reached again from this computer&apos;s new network</source>
        <translation>%1 aus dem neuen Netzwerk dieses Computers wieder erreicht</translation>
    </message>
    <message>
        <source>%1 reached again after this computer woke up</source>
        <translation>%1 nach dem Aufwachen dieses Computers wieder erreicht</translation>
    </message>
    <message>
        <source>%1 answers again after a silence</source>
        <translation>%1 antwortet nach einer Funkstille wieder</translation>
    </message>
    <message>
        <source>Network changed (%1): checking every connection</source>
        <translation>Netzwerk geändert (%1): jede Verbindung wird geprüft</translation>
    </message>
    <message>
        <source>Woke up after %1: checking every connection</source>
        <translation>Aufgewacht nach %1: jede Verbindung wird geprüft</translation>
    </message>
    <message>
        <source>No path for</source>
        <translation>Ohne Pfad für</translation>
    </message>
    <message>
        <source>Address: %1</source>
        <translation>Adresse: %1</translation>
    </message>
    <message>
        <source>Reason: %1</source>
        <translation>Grund: %1</translation>
    </message>
</context>
<context>
    <name>Nimbus::Format</name>
    <message>
        <source>%1/s</source>
        <translation>%1/s</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 min %2 s</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 h %2 min</translation>
    </message>
    <message>
        <source>nobody</source>
        <translation>niemand</translation>
    </message>
    <message>
        <source>timed out</source>
        <translation>Zeitüberschreitung</translation>
    </message>
    <message>
        <source>closed by the peer</source>
        <translation>vom Peer geschlossen</translation>
    </message>
    <message>
        <source>unreachable</source>
        <translation>unerreichbar</translation>
    </message>
    <message>
        <source>rejected</source>
        <translation>abgewiesen</translation>
    </message>
    <message>
        <source>network shut down</source>
        <translation>Netzwerk beendet</translation>
    </message>
    <message>
        <source>a more specific claim appeared</source>
        <translation>ein spezifischerer Anspruch ist aufgetaucht</translation>
    </message>
    <message>
        <source>the preferred node returned</source>
        <translation>der bevorzugte Knoten ist zurück</translation>
    </message>
    <message>
        <source>load balancing</source>
        <translation>Lastverteilung</translation>
    </message>
    <message>
        <source>Connecting</source>
        <translation>Verbinde</translation>
    </message>
    <message>
        <source>Connected</source>
        <translation>Verbunden</translation>
    </message>
    <message>
        <source>Degraded</source>
        <translation>Eingeschränkt</translation>
    </message>
    <message>
        <source>Failover in progress</source>
        <translation>Failover läuft</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <source>Disconnected</source>
        <translation>Getrennt</translation>
    </message>
    <message>
        <source>a node claimed it</source>
        <translation>ein Knoten hat sie beansprucht</translation>
    </message>
    <message>
        <source>the node withdrew its claim</source>
        <translation>der Knoten hat seinen Anspruch zurückgezogen</translation>
    </message>
    <message>
        <source>the preferred node became ready</source>
        <translation>der bevorzugte Knoten ist bereit</translation>
    </message>
    <message>
        <source>stopped answering</source>
        <translation>antwortet nicht mehr</translation>
    </message>
    <message>
        <source>the node moved to another address</source>
        <translation>der Knoten ist zu einer anderen Adresse gewechselt</translation>
    </message>
    <message>
        <source>replaced by a restarted node</source>
        <translation>durch einen neu gestarteten Knoten ersetzt</translation>
    </message>
    <message>
        <source>Node id: %1</source>
        <translation>Knoten-ID: %1</translation>
    </message>
    <message>
        <source>Address: %1</source>
        <translation>Adresse: %1</translation>
    </message>
    <message>
        <source>Named after the configured peer</source>
        <translation>Name aus dem konfigurierten Peer</translation>
    </message>
    <message>
        <source>Named by the hosts file</source>
        <translation>Name aus der hosts-Datei</translation>
    </message>
    <message>
        <source>Named by you</source>
        <translation>Von Ihnen benannt</translation>
    </message>
    <message>
        <source>Reachable</source>
        <translation>Erreichbar</translation>
    </message>
    <message>
        <source>Switchback</source>
        <translation>Rückschaltung</translation>
    </message>
    <message>
        <source>Move</source>
        <translation>Wechsel</translation>
    </message>
    <message>
        <source>Lost</source>
        <translation>Verloren</translation>
    </message>
    <message>
        <source>Failover</source>
        <translation>Failover</translation>
    </message>
    <message>
        <source>Reachable via %1</source>
        <translation>Erreichbar über %1</translation>
    </message>
    <message>
        <source>Switchback to %1</source>
        <translation>Zurück zu %1</translation>
    </message>
    <message>
        <source>Moved to %1</source>
        <translation>Gewechselt zu %1</translation>
    </message>
    <message>
        <source>Lost: nobody serves %1</source>
        <translation>Verloren: niemand bedient %1</translation>
    </message>
    <message>
        <source>Failover: %1 → %2</source>
        <translation>Failover: %1 → %2</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>unbekannt</translation>
    </message>
    <message>
        <source>Detected at %1</source>
        <translation>Erkannt um %1</translation>
    </message>
    <message>
        <source>No path for %1</source>
        <translation>Ohne Pfad für %1</translation>
    </message>
    <message>
        <source>Last heard from %1 %2 before detection</source>
        <translation>Zuletzt von %1 gehört: %2 vor der Erkennung</translation>
    </message>
</context>
<context>
    <name>Nimbus::MainWindow</name>
    <message>
        <source>Nimbus</source>
        <translation>Nimbus</translation>
    </message>
    <message>
        <source>&amp;Connect</source>
        <translation>&amp;Verbinden</translation>
    </message>
    <message>
        <source>&amp;New Profile…</source>
        <translation>&amp;Neues Profil …</translation>
    </message>
    <message>
        <source>&amp;Edit Profile…</source>
        <translation>Profil &amp;bearbeiten …</translation>
    </message>
    <message>
        <source>D&amp;uplicate Profile…</source>
        <translation>Profil &amp;duplizieren …</translation>
    </message>
    <message>
        <source>&amp;Delete Profile…</source>
        <translation>Profil &amp;löschen …</translation>
    </message>
    <message>
        <source>&amp;Import VpnCloud File…</source>
        <translation>VpnCloud-Datei &amp;importieren …</translation>
    </message>
    <message>
        <source>E&amp;xport Profile…</source>
        <translation>Profil e&amp;xportieren …</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>&amp;Einstellungen …</translation>
    </message>
    <message>
        <source>&amp;Close Window</source>
        <translation>Fenster &amp;schließen</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>Quit Nimbus; connected networks keep running.</source>
        <translation>Nimbus beenden; verbundene Netzwerke laufen weiter.</translation>
    </message>
    <message>
        <source>&amp;Profile</source>
        <translation>&amp;Profil</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>&amp;About Nimbus</source>
        <translation>&amp;Über Nimbus</translation>
    </message>
    <message>
        <source>About Nimbus</source>
        <translation>Über Nimbus</translation>
    </message>
    <message>
        <source>&lt;b&gt;Nimbus&lt;/b&gt; %1&lt;br&gt;A desktop mesh VPN speaking the VpnCloud 2.x protocol.</source>
        <translation>&lt;b&gt;Nimbus&lt;/b&gt; %1&lt;br&gt;Ein Mesh-VPN für den Desktop, das das Protokoll von VpnCloud 2.x spricht.</translation>
    </message>
    <message>
        <source>Profiles</source>
        <translation>Profile</translation>
    </message>
    <message>
        <source>&amp;Profiles</source>
        <translation>&amp;Profile</translation>
    </message>
    <message>
        <source>Connect</source>
        <translation>Verbinden</translation>
    </message>
    <message>
        <source>Filter peers, addresses and events</source>
        <translation>Peers, Adressen und Ereignisse filtern</translation>
    </message>
    <message>
        <source>Filter</source>
        <translation>Filter</translation>
    </message>
    <message>
        <source>F&amp;ilter:</source>
        <translation>F&amp;ilter:</translation>
    </message>
    <message>
        <source>Peers</source>
        <translation>Peers</translation>
    </message>
    <message>
        <source>Claimed addresses</source>
        <translation>Beanspruchte Adressen</translation>
    </message>
    <message>
        <source>Events</source>
        <translation>Ereignisse</translation>
    </message>
    <message>
        <source>Addresses</source>
        <translation>Adressen</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source>Could not change %1.</source>
        <translation>%1 konnte nicht geändert werden.</translation>
    </message>
    <message>
        <source>&amp;Disconnect</source>
        <translation>&amp;Trennen</translation>
    </message>
    <message>
        <source>Working…</source>
        <translation>Bitte warten …</translation>
    </message>
    <message>
        <source>Disconnect</source>
        <translation>Trennen</translation>
    </message>
    <message>
        <source>Your user may only watch. Add it to group nimbus to connect networks.</source>
        <translation>Ihr Benutzer darf nur zusehen. Fügen Sie ihn zur Gruppe nimbus hinzu, um Netzwerke zu verbinden.</translation>
    </message>
    <message>
        <source>role: %1</source>
        <translation>Rolle: %1</translation>
    </message>
    <message>
        <source>You can watch the networks but not connect them. To connect, add your user to group nimbus: sudo usermod -aG nimbus $USER</source>
        <translation>Sie können die Netzwerke beobachten, aber nicht verbinden. Zum Verbinden fügen Sie Ihren Benutzer zur Gruppe nimbus hinzu: sudo usermod -aG nimbus $USER</translation>
    </message>
    <message>
        <source>Peers (%1)</source>
        <translation>Peers (%1)</translation>
    </message>
    <message>
        <source>Addresses (%1)</source>
        <translation>Adressen (%1)</translation>
    </message>
    <message>
        <source>Events (%1)</source>
        <translation>Ereignisse (%1)</translation>
    </message>
    <message>
        <source>No profiles yet. Create one or import a VpnCloud file.</source>
        <translation>Noch keine Profile. Legen Sie eines an oder importieren Sie eine VpnCloud-Datei.</translation>
    </message>
    <message>
        <source>Address: %1</source>
        <translation>Adresse: %1</translation>
    </message>
    <message>
        <source>Peers: %1 of %2</source>
        <translation>Peers: %1 von %2</translation>
    </message>
    <message>
        <source>Peers: %1</source>
        <translation>Peers: %1</translation>
    </message>
    <message>
        <source>Device: %1</source>
        <translation>Gerät: %1</translation>
    </message>
    <message>
        <source>Error: %1</source>
        <translation>Fehler: %1</translation>
    </message>
    <message>
        <source>Cannot resolve: %1</source>
        <translation>Nicht auflösbar: %1</translation>
    </message>
    <message>
        <source>&amp;Name Selected Node…</source>
        <translation>Ausgewählten Knoten &amp;benennen …</translation>
    </message>
    <message>
        <source>Give the node selected in Peers or Addresses a name of your own.</source>
        <translation>Dem unter Peers oder Adressen ausgewählten Knoten einen eigenen Namen geben.</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <source>&amp;Peers</source>
        <translation>&amp;Peers</translation>
    </message>
    <message>
        <source>&amp;Addresses</source>
        <translation>&amp;Adressen</translation>
    </message>
    <message>
        <source>&amp;Events</source>
        <translation>&amp;Ereignisse</translation>
    </message>
    <message>
        <source>A&amp;vailability</source>
        <translation>&amp;Verfügbarkeit</translation>
    </message>
    <message>
        <source>&amp;Filter…</source>
        <translation>&amp;Filter …</translation>
    </message>
    <message>
        <source>The connected peers of every network: name, address, claimed addresses, since when, traffic and encryption. F2 names the selected node.</source>
        <translation>Die verbundenen Peers jedes Netzes: Name, Adresse, beanspruchte Adressen, seit wann, Verkehr und Verschlüsselung. F2 benennt den ausgewählten Knoten.</translation>
    </message>
    <message>
        <source>Every claimed address range, the node that serves it now and the other claimants. F2 names the serving node.</source>
        <translation>Jeder beanspruchte Adressbereich, der Knoten, der ihn jetzt bedient, und die weiteren Anspruchsteller. F2 benennt den bedienenden Knoten.</translation>
    </message>
    <message>
        <source>The timeline, newest first: route changes with when a failure was detected and how long traffic had no path, peers connecting and leaving, network states.</source>
        <translation>Der Verlauf, neueste zuerst: Routenwechsel mit dem Zeitpunkt, an dem ein Ausfall erkannt wurde, und wie lange der Verkehr keinen Pfad hatte, Peers, die sich verbinden und gehen, Netzzustände.</translation>
    </message>
    <message>
        <source>Availability</source>
        <translation>Verfügbarkeit</translation>
    </message>
    <message>
        <source>Views</source>
        <translation>Ansichten</translation>
    </message>
    <message>
        <source>Helper link</source>
        <translation>Verbindung zum Helfer</translation>
    </message>
    <message>
        <source>Profile details</source>
        <translation>Profildetails</translation>
    </message>
    <message>
        <source>Status message</source>
        <translation>Statusmeldung</translation>
    </message>
    <message>
        <source>Name This Node</source>
        <translation>Diesen Knoten benennen</translation>
    </message>
    <message>
        <source>A name for %1 in %2 (empty: no name). It stays with the node&apos;s address and claims when the node restarts.
%3</source>
        <translation>Ein Name für %1 in %2 (leer: kein Name). Er bleibt an Adresse und Ansprüchen des Knotens, auch wenn der Knoten neu startet.
%3</translation>
    </message>
    <message>
        <source>&amp;Name This Node…</source>
        <translation>Diesen Knoten &amp;benennen …</translation>
    </message>
    <message>
        <source>Name %1…</source>
        <translation>%1 benennen …</translation>
    </message>
    <message>
        <source>Availability (%1)</source>
        <translation>Verfügbarkeit (%1)</translation>
    </message>
    <message>
        <source>Last route change of %1: %2</source>
        <translation>Letzter Routenwechsel von %1: %2</translation>
    </message>
    <message>
        <source>no path for %1</source>
        <translation>ohne Pfad für %1</translation>
    </message>
</context>
<context>
    <name>Nimbus::NotificationPresenter</name>
    <message>
        <source>Connected to %1</source>
        <translation>Mit %1 verbunden</translation>
    </message>
    <message>
        <source>The network %1 is up.</source>
        <translation>Das Netzwerk %1 ist aktiv.</translation>
    </message>
    <message>
        <source>Disconnected from %1</source>
        <translation>Von %1 getrennt</translation>
    </message>
    <message>
        <source>The network %1 is down.</source>
        <translation>Das Netzwerk %1 ist getrennt.</translation>
    </message>
    <message>
        <source>%1 failed</source>
        <translation>%1 ist fehlgeschlagen</translation>
    </message>
    <message>
        <source>The network %1 stopped with an error.</source>
        <translation>Das Netzwerk %1 wurde mit einem Fehler beendet.</translation>
    </message>
    <message>
        <source>Peer lost on %1</source>
        <translation>Peer in %1 verloren</translation>
    </message>
    <message>
        <source>%1 disconnected: %2</source>
        <translation>%1 getrennt: %2</translation>
    </message>
    <message>
        <source>%1 unreachable on %2</source>
        <translation>%1 in %2 unerreichbar</translation>
    </message>
    <message>
        <source>Failover on %1</source>
        <translation>Failover in %1</translation>
    </message>
    <message>
        <source>%1 took over %2 from %3 (%4).</source>
        <translation>%1 hat %2 von %3 übernommen (%4).</translation>
    </message>
    <message>
        <source>Traffic had no path for %1.</source>
        <translation>Der Verkehr hatte %1 lang keinen Pfad.</translation>
    </message>
    <message>
        <source>Nobody serves %1 any more: %2 is gone (%3).</source>
        <translation>Niemand bedient %1 mehr: %2 ist weg (%3).</translation>
    </message>
    <message>
        <source>%1 back on %2</source>
        <translation>%1 wieder bei %2</translation>
    </message>
    <message>
        <source>%1 is served by %2 again.</source>
        <translation>%1 wird wieder von %2 bedient.</translation>
    </message>
</context>
<context>
    <name>Nimbus::OutageTimeline</name>
    <message>
        <source>Outages of %1 in the last hour</source>
        <translation>Ausfälle von %1 in der letzten Stunde</translation>
    </message>
    <message>
        <source>Nobody serves it now; no outage of the last hour is known.</source>
        <translation>Niemand bedient sie jetzt; kein Ausfall der letzten Stunde ist bekannt.</translation>
    </message>
    <message>
        <source>No outage in the last hour.</source>
        <translation>Kein Ausfall in der letzten Stunde.</translation>
    </message>
    <message>
        <source>from %1, still down (%2 so far): nobody serves it since %3 failed</source>
        <translation>seit %1, noch ausgefallen (bisher %2): niemand bedient sie, seit %3 ausgefallen ist</translation>
    </message>
    <message>
        <source>at %1 for %2: nobody served it after %3 failed, until %4 took over</source>
        <translation>um %1 für %2: niemand bediente sie nach dem Ausfall von %3, bis %4 übernahm</translation>
    </message>
    <message>
        <source>at %1 for %2: failover from %3 to %4</source>
        <translation>um %1 für %2: Failover von %3 zu %4</translation>
    </message>
    <message>
        <source>Outages in the last hour: %1; %2.</source>
        <translation>Ausfälle in der letzten Stunde: %1; %2.</translation>
    </message>
    <message>
        <source>now</source>
        <translation>jetzt</translation>
    </message>
    <message>
        <source>−%1 min</source>
        <translation>−%1 min</translation>
    </message>
</context>
<context>
    <name>Nimbus::PeerModel</name>
    <message>
        <source>(unknown)</source>
        <translation>(unbekannt)</translation>
    </message>
    <message>
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message numerus="yes">
        <source>%n packet(s) received</source>
        <translation>
            <numerusform>%n Paket empfangen</numerusform>
            <numerusform>%n Pakete empfangen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n packet(s) sent</source>
        <translation>
            <numerusform>%n Paket gesendet</numerusform>
            <numerusform>%n Pakete gesendet</numerusform>
        </translation>
    </message>
    <message>
        <source>This node started the handshake.</source>
        <translation>Dieser Knoten hat den Handshake begonnen.</translation>
    </message>
    <message>
        <source>The peer started the handshake.</source>
        <translation>Der Peer hat den Handshake begonnen.</translation>
    </message>
    <message>
        <source>Node</source>
        <translation>Knoten</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Adresse</translation>
    </message>
    <message>
        <source>Network</source>
        <translation>Netzwerk</translation>
    </message>
    <message>
        <source>Claims</source>
        <translation>Ansprüche</translation>
    </message>
    <message>
        <source>Connected since</source>
        <translation>Verbunden seit</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>Empfangen</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>Gesendet</translation>
    </message>
    <message>
        <source>Encryption</source>
        <translation>Verschlüsselung</translation>
    </message>
</context>
<context>
    <name>Nimbus::ProfileDialog</name>
    <message>
        <source>New Profile</source>
        <translation>Neues Profil</translation>
    </message>
    <message>
        <source>Edit Profile</source>
        <translation>Profil bearbeiten</translation>
    </message>
    <message>
        <source>Duplicate Profile</source>
        <translation>Profil duplizieren</translation>
    </message>
    <message>
        <source>Import Profile</source>
        <translation>Profil importieren</translation>
    </message>
    <message>
        <source>e.g. office</source>
        <translation>z. B. buero</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <source>&amp;Key pair</source>
        <translation>&amp;Schlüsselpaar</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Passwort</translation>
    </message>
    <message>
        <source>Private key (base62)</source>
        <translation>Privater Schlüssel (Base62)</translation>
    </message>
    <message>
        <source>Private key</source>
        <translation>Privater Schlüssel</translation>
    </message>
    <message>
        <source>&amp;Generate</source>
        <translation>&amp;Erzeugen</translation>
    </message>
    <message>
        <source>Secret:</source>
        <translation>Geheimnis:</translation>
    </message>
    <message>
        <source>e.g. 10.0.0.100/24</source>
        <translation>z. B. 10.0.0.100/24</translation>
    </message>
    <message>
        <source>&amp;Address:</source>
        <translation>&amp;Adresse:</translation>
    </message>
    <message>
        <source>Ranges this node serves, e.g. 10.1.0.0/16</source>
        <translation>Bereiche, die dieser Knoten bedient, z. B. 10.1.0.0/16</translation>
    </message>
    <message>
        <source>&amp;Claims:</source>
        <translation>A&amp;nsprüche:</translation>
    </message>
    <message>
        <source>One host:port per line</source>
        <translation>Ein Host:Port pro Zeile</translation>
    </message>
    <message>
        <source>&amp;Peers:</source>
        <translation>&amp;Peers:</translation>
    </message>
    <message>
        <source>&amp;Listen port:</source>
        <translation>&amp;Lauschport:</translation>
    </message>
    <message>
        <source>General</source>
        <translation>Allgemein</translation>
    </message>
    <message>
        <source>Optional: checks that the private key matches</source>
        <translation>Optional: prüft, ob der private Schlüssel dazu passt</translation>
    </message>
    <message>
        <source>P&amp;ublic key:</source>
        <translation>Ö&amp;ffentlicher Schlüssel:</translation>
    </message>
    <message>
        <source>Public keys of trusted nodes, one per line</source>
        <translation>Öffentliche Schlüssel vertrauenswürdiger Knoten, einer pro Zeile</translation>
    </message>
    <message>
        <source>&amp;Trusted keys:</source>
        <translation>&amp;Vertraute Schlüssel:</translation>
    </message>
    <message>
        <source>plain (unencrypted)</source>
        <translation>plain (unverschlüsselt)</translation>
    </message>
    <message>
        <source>Al&amp;gorithms:</source>
        <translation>Al&amp;gorithmen:</translation>
    </message>
    <message>
        <source>Security</source>
        <translation>Sicherheit</translation>
    </message>
    <message>
        <source>&amp;Mode:</source>
        <translation>&amp;Modus:</translation>
    </message>
    <message>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <source>Peer &amp;timeout:</source>
        <translation>Peer-&amp;Zeitlimit:</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>Automatisch</translation>
    </message>
    <message>
        <source>&amp;Keepalive:</source>
        <translation>&amp;Keepalive:</translation>
    </message>
    <message>
        <source>&amp;Fast failover (confirm dead peers early)</source>
        <translation>Schnelles &amp;Failover (ausgefallene Peers früh bestätigen)</translation>
    </message>
    <message>
        <source>&amp;Balance traffic over equal claimants</source>
        <translation>Verkehr auf gleichwertige Anspruchsteller &amp;verteilen</translation>
    </message>
    <message>
        <source>De&amp;vice type:</source>
        <translation>Gerä&amp;tetyp:</translation>
    </message>
    <message>
        <source>Device &amp;name:</source>
        <translation>Geräte&amp;name:</translation>
    </message>
    <message>
        <source>Extra public addresses, e.g. 203.0.113.5:3210</source>
        <translation>Weitere öffentliche Adressen, z. B. 203.0.113.5:3210</translation>
    </message>
    <message>
        <source>A&amp;dvertise:</source>
        <translation>A&amp;nkündigen:</translation>
    </message>
    <message>
        <source>Advanced</source>
        <translation>Erweitert</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>Spei&amp;chern</translation>
    </message>
    <message>
        <source>C&amp;reate</source>
        <translation>&amp;Anlegen</translation>
    </message>
    <message>
        <source>This helper cannot generate keys (it lacks keys.generate). Run “nimbus-helper genkey” and paste the private key, or use a password.</source>
        <translation>Dieser Hilfsdienst kann keine Schlüssel erzeugen (keys.generate fehlt). Führen Sie „nimbus-helper genkey“ aus und fügen Sie den privaten Schlüssel ein, oder verwenden Sie ein Passwort.</translation>
    </message>
    <message>
        <source>Key generation needs the Nimbus helper, which is not reachable. Use a password, or paste a key from “nimbus-helper genkey”.</source>
        <translation>Zum Erzeugen von Schlüsseln wird der Nimbus-Hilfsdienst benötigt, der nicht erreichbar ist. Verwenden Sie ein Passwort oder fügen Sie einen Schlüssel aus „nimbus-helper genkey“ ein.</translation>
    </message>
    <message>
        <source>Ask the helper for a new key pair.</source>
        <translation>Beim Hilfsdienst ein neues Schlüsselpaar anfordern.</translation>
    </message>
    <message>
        <source>Stored in the keychain; leave empty to keep it</source>
        <translation>Im Schlüsselbund gespeichert; leer lassen, um es zu behalten</translation>
    </message>
    <message>
        <source>The network&apos;s shared password</source>
        <translation>Das gemeinsame Passwort des Netzwerks</translation>
    </message>
    <message>
        <source>Also claim the &amp;own address</source>
        <translation>Auch die &amp;eigene Adresse beanspruchen</translation>
    </message>
    <message>
        <source>None checked: aes256 (where the processor has AES instructions) and chacha20. Nimbus never offers AES-128.</source>
        <translation>Nichts ausgewählt: aes256 (wo der Prozessor AES-Befehle hat) und chacha20. Nimbus bietet AES-128 nie an.</translation>
    </message>
    <message>
        <source>Shared pass&amp;word</source>
        <translation>Gemeinsames Pass&amp;wort</translation>
    </message>
    <message>
        <source>Connect a&amp;utomatically</source>
        <translation>A&amp;utomatisch verbinden</translation>
    </message>
    <message>
        <source>Connect this profile when Nimbus starts and whenever the helper comes back, with the secret from the keychain and without asking. Disconnecting it yourself pauses this until you connect it again.</source>
        <translation>Dieses Profil verbinden, wenn Nimbus startet und immer wenn der Helfer wiederkommt, mit dem Geheimnis aus dem Schlüsselbund und ohne Nachfrage. Wenn Sie es selbst trennen, ruht das, bis Sie es wieder verbinden.</translation>
    </message>
    <message>
        <source>S&amp;witch timeout:</source>
        <translation>S&amp;witch-Zeitlimit:</translation>
    </message>
</context>
<context>
    <name>Nimbus::ProfileEditor</name>
    <message>
        <source>Enter a name for the profile.</source>
        <translation>Geben Sie einen Namen für das Profil ein.</translation>
    </message>
    <message>
        <source>Another profile is already called “%1”.</source>
        <translation>Es gibt schon ein Profil namens „%1“.</translation>
    </message>
    <message>
        <source>The name must not start or end with a space.</source>
        <translation>Der Name darf nicht mit einem Leerzeichen beginnen oder enden.</translation>
    </message>
    <message>
        <source>Enter a private key or generate a key pair.</source>
        <translation>Geben Sie einen privaten Schlüssel ein oder erzeugen Sie ein Schlüsselpaar.</translation>
    </message>
    <message>
        <source>Enter the network&apos;s password.</source>
        <translation>Geben Sie das Passwort des Netzwerks ein.</translation>
    </message>
    <message>
        <source>The helper cannot generate keys.</source>
        <translation>Der Hilfsdienst kann keine Schlüssel erzeugen.</translation>
    </message>
    <message>
        <source>The helper sent no key pair.</source>
        <translation>Der Hilfsdienst hat kein Schlüsselpaar geschickt.</translation>
    </message>
</context>
<context>
    <name>Nimbus::ProfileListModel</name>
    <message>
        <source>Working…</source>
        <translation>Bitte warten …</translation>
    </message>
</context>
<context>
    <name>Nimbus::ProfileManager</name>
    <message>
        <source>New network</source>
        <translation>Neues Netzwerk</translation>
    </message>
    <message>
        <source>%1 (copy)</source>
        <translation>%1 (Kopie)</translation>
    </message>
    <message>
        <source>Delete Profile</source>
        <translation>Profil löschen</translation>
    </message>
    <message>
        <source>Delete the profile “%1” and its stored secret? A running network stays connected until you disconnect it.</source>
        <translation>Das Profil „%1“ und sein gespeichertes Geheimnis löschen? Ein laufendes Netzwerk bleibt verbunden, bis Sie es trennen.</translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation>&amp;Löschen</translation>
    </message>
    <message>
        <source>The profile was deleted, but its secret could not be removed from the keychain: %1</source>
        <translation>Das Profil wurde gelöscht, aber sein Geheimnis konnte nicht aus dem Schlüsselbund entfernt werden: %1</translation>
    </message>
    <message>
        <source>Import VpnCloud Configuration</source>
        <translation>VpnCloud-Konfiguration importieren</translation>
    </message>
    <message>
        <source>VpnCloud configuration (*.net *.yaml *.yml);;All files (*)</source>
        <translation>VpnCloud-Konfiguration (*.net *.yaml *.yml);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>Importieren</translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>%1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>%1 is too large for a configuration file.</source>
        <translation>%1 ist zu groß für eine Konfigurationsdatei.</translation>
    </message>
    <message>
        <source>Importing needs the Nimbus helper, which reads the file. %1</source>
        <translation>Für den Import wird der Nimbus-Hilfsdienst benötigt, der die Datei liest. %1</translation>
    </message>
    <message>
        <source>Imported</source>
        <translation>Importiert</translation>
    </message>
    <message>
        <source>The file was read with warnings:
%1</source>
        <translation>Die Datei wurde mit Warnungen gelesen:
%1</translation>
    </message>
    <message>
        <source>Export Profile</source>
        <translation>Profil exportieren</translation>
    </message>
    <message>
        <source>VpnCloud configuration (*.net *.yaml)</source>
        <translation>VpnCloud-Konfiguration (*.net *.yaml)</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>%1 kann nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <source>Save Profile</source>
        <translation>Profil speichern</translation>
    </message>
    <message>
        <source>A profile called “%1” exists already.</source>
        <translation>Ein Profil namens „%1“ existiert bereits.</translation>
    </message>
    <message>
        <source>No Keychain</source>
        <translation>Kein Schlüsselbund</translation>
    </message>
    <message>
        <source>No keychain is available to store the secret of “%1” safely. Keep it in memory for this session only? You will be asked again after Nimbus restarts.</source>
        <translation>Es ist kein Schlüsselbund verfügbar, um das Geheimnis von „%1“ sicher zu speichern. Nur für diese Sitzung im Speicher behalten? Nach einem Neustart von Nimbus werden Sie erneut gefragt.</translation>
    </message>
    <message>
        <source>&amp;Keep for This Session</source>
        <translation>Für diese &amp;Sitzung behalten</translation>
    </message>
    <message>
        <source>Save Secret</source>
        <translation>Geheimnis speichern</translation>
    </message>
    <message>
        <source>The secret of “%1” could not be stored: %2</source>
        <translation>Das Geheimnis von „%1“ konnte nicht gespeichert werden: %2</translation>
    </message>
    <message>
        <source>The helper sent an answer Nimbus cannot read (%1).</source>
        <translation>Der Hilfsdienst hat eine Antwort geschickt, die Nimbus nicht lesen kann (%1).</translation>
    </message>
    <message>
        <source>Exporting needs the Nimbus helper, which writes the file. %1</source>
        <translation>Für den Export wird der Nimbus-Hilfsdienst benötigt, der die Datei schreibt. %1</translation>
    </message>
</context>
<context>
    <name>Nimbus::SettingsDialog</name>
    <message>
        <source>Show &amp;notifications on connect, disconnect and failover</source>
        <translation>&amp;Benachrichtigungen bei Verbinden, Trennen und Failover anzeigen</translation>
    </message>
    <message>
        <source>Start Nimbus when I &amp;log in</source>
        <translation>Nimbus bei der &amp;Anmeldung starten</translation>
    </message>
    <message>
        <source>Start &amp;minimized to the tray</source>
        <translation>&amp;Minimiert im Infobereich starten</translation>
    </message>
    <message>
        <source>Nimbus Settings</source>
        <translation>Nimbus-Einstellungen</translation>
    </message>
    <message>
        <source>Colour</source>
        <translation>Farbig</translation>
    </message>
    <message>
        <source>Monochrome, following the desktop</source>
        <translation>Einfarbig, passend zum Desktop</translation>
    </message>
    <message>
        <source>Monochrome light (for dark panels)</source>
        <translation>Einfarbig hell (für dunkle Leisten)</translation>
    </message>
    <message>
        <source>Monochrome dark (for light panels)</source>
        <translation>Einfarbig dunkel (für helle Leisten)</translation>
    </message>
    <message>
        <source>&amp;Tray icon:</source>
        <translation>&amp;Symbol im Infobereich:</translation>
    </message>
</context>
<context>
    <name>Nimbus::TrafficChart</name>
    <message>
        <source>Traffic of the last minute</source>
        <translation>Datenverkehr der letzten Minute</translation>
    </message>
    <message>
        <source>Receiving %1, sending %2</source>
        <translation>Empfange %1, sende %2</translation>
    </message>
    <message>
        <source>Received %1</source>
        <translation>Empfangen %1</translation>
    </message>
    <message>
        <source>Sent %1</source>
        <translation>Gesendet %1</translation>
    </message>
    <message>
        <source>60 s ago</source>
        <translation>vor 60 s</translation>
    </message>
    <message>
        <source>now</source>
        <translation>jetzt</translation>
    </message>
    <message>
        <source>%1/s</source>
        <translation>%1/s</translation>
    </message>
</context>
<context>
    <name>Nimbus::TrayIcon</name>
    <message>
        <source>No profiles yet</source>
        <translation>Noch keine Profile</translation>
    </message>
    <message>
        <source>&amp;Open Nimbus</source>
        <translation>Nimbus ö&amp;ffnen</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>Networks keep running after Nimbus quits.</source>
        <translation>Netzwerke laufen weiter, wenn Nimbus beendet wird.</translation>
    </message>
    <message>
        <source>Nimbus</source>
        <translation>Nimbus</translation>
    </message>
    <message>
        <source>Connect and disconnect profiles, see who serves shared addresses, open the Nimbus window or quit</source>
        <translation>Profile verbinden und trennen, sehen, wer geteilte Adressen bedient, das Nimbus-Fenster öffnen oder beenden</translation>
    </message>
    <message>
        <source>Addresses more than one node claims, and addresses this computer uses, with the node that serves each</source>
        <translation>Adressen, die mehr als ein Knoten beansprucht, und Adressen, die dieser Computer nutzt, mit dem Knoten, der sie jeweils bedient</translation>
    </message>
    <message>
        <source>No shared addresses</source>
        <translation>Keine geteilten Adressen</translation>
    </message>
</context>
<context>
    <name>Nimbus::TrayStateMachine</name>
    <message>
        <source>Disconnected</source>
        <translation>Getrennt</translation>
    </message>
    <message>
        <source>Connecting</source>
        <translation>Verbinde</translation>
    </message>
    <message>
        <source>Connected</source>
        <translation>Verbunden</translation>
    </message>
    <message>
        <source>Degraded</source>
        <translation>Eingeschränkt</translation>
    </message>
    <message>
        <source>Failover in progress</source>
        <translation>Failover läuft</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <source>Helper unavailable</source>
        <translation>Hilfsdienst nicht erreichbar</translation>
    </message>
    <message>
        <source>Nimbus: %1</source>
        <translation>Nimbus: %1</translation>
    </message>
    <message>
        <source>Profile: %1 (%2)</source>
        <translation>Profil: %1 (%2)</translation>
    </message>
    <message>
        <source>Address: %1</source>
        <translation>Adresse: %1</translation>
    </message>
    <message>
        <source>Peers: %1 of %2</source>
        <translation>Peers: %1 von %2</translation>
    </message>
    <message>
        <source>Peers: %1</source>
        <translation>Peers: %1</translation>
    </message>
    <message>
        <source>Error: %1</source>
        <translation>Fehler: %1</translation>
    </message>
    <message>
        <source>No network is connected.</source>
        <translation>Kein Netzwerk ist verbunden.</translation>
    </message>
    <message>
        <source>Disconnecting…</source>
        <translation>Trenne …</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Verbinde …</translation>
    </message>
    <message>
        <source>Connect “%1”</source>
        <translation>„%1“ verbinden</translation>
    </message>
    <message>
        <source>Disconnect “%1” (%2)</source>
        <translation>„%1“ trennen (%2)</translation>
    </message>
    <message>
        <source>Cannot resolve: %1</source>
        <translation>Nicht auflösbar: %1</translation>
    </message>
    <message>
        <source>Lost: nobody serves %1</source>
        <translation>Verloren: niemand bedient %1</translation>
    </message>
    <message>
        <source>Lost: nobody serves %1 since %2</source>
        <translation>Verloren: niemand bedient %1 seit %2</translation>
    </message>
    <message>
        <source>Last failover: %1 to %2 (no path for %3)</source>
        <translation>Letztes Failover: %1 zu %2 (ohne Pfad für %3)</translation>
    </message>
    <message>
        <source>Last failover: %1 to %2 at %3 (no path for %4)</source>
        <translation>Letztes Failover: %1 zu %2 um %3 (ohne Pfad für %4)</translation>
    </message>
    <message>
        <source>Last failover: %1 to %2</source>
        <translation>Letztes Failover: %1 zu %2</translation>
    </message>
    <message>
        <source>Last failover: %1 to %2 at %3</source>
        <translation>Letztes Failover: %1 zu %2 um %3</translation>
    </message>
    <message>
        <source>%1: nobody serves it</source>
        <translation>%1: niemand bedient sie</translation>
    </message>
    <message>
        <source>%1 via %2</source>
        <translation>%1 über %2</translation>
    </message>
    <message>
        <source>%1 via %2 (standby: %3)</source>
        <translation>%1 über %2 (Reserve: %3)</translation>
    </message>
    <message>
        <source>Addresses of “%1”</source>
        <translation>Adressen von „%1“</translation>
    </message>
</context>
<context>
    <name>Nimbus::WidgetUserPrompter</name>
    <message>
        <source>Private key for “%1”:</source>
        <translation>Privater Schlüssel für „%1“:</translation>
    </message>
    <message>
        <source>Password for “%1”:</source>
        <translation>Passwort für „%1“:</translation>
    </message>
    <message>
        <source>Connect</source>
        <translation>Verbinden</translation>
    </message>
</context>
</TS>
