<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US" sourcelanguage="en_US">
<context>
    <name>Nimbus::AvailabilityModel</name>
    <message>
        <source>this computer</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Nimbus::AvailabilityView</name>
    <message>
        <source>last heard %1 ago</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>suspect: probing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>down: not a peer any more</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>this computer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>/%1 claim, announced %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>/%1 claim</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Availability</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every address several nodes claim or this client uses: the serving node, the standbys in the order they would take over, their health and the last hour&apos;s outages.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No address is shared by several nodes or used by this client yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>served by %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>nobody serves it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>used by this client</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 on %2, %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Role</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Node</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why in this place</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Health</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Serving</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Standby %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2, %3, %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No live node claims it: traffic to it is dropped.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nodes claiming %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No shared or used address matches the filter.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Nimbus::ClaimModel</name>
    <message>
        <source>this node</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>nobody (unreachable)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Served here</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Local</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Yes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No live node claims this range; traffic to it is dropped.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Address range</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Served by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Other claimants</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Used by this client</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Network</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Nimbus::ClientOptions</name>
    <message>
        <source>Nimbus mesh VPN client</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The helper&apos;s control socket (default: $NIMBUS_SOCKET or /run/nimbus/control.sock).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start in the tray, without the window.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add the VpnCloud YAML file as a profile named after the file, without asking (nothing happens if that profile exists).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Nimbus::ConnectionController</name>
    <message>
        <source>Cannot connect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no profile called “%1”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot connect %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No secret is stored for profile “%1”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not connect %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot disconnect %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not disconnect %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connected to the helper again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connecting “%1” automatically.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not connect %1 automatically</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Nimbus::CopyableTableView</name>
    <message>
        <source>&amp;Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select &amp;All</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Nimbus::ErrorText</name>
    <message>
        <source>The helper did not understand the request.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The helper speaks a different protocol version. Update Nimbus.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The connection to the helper was not set up.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The helper does not support this action.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You are not allowed to do this. Add your user to group nimbus: sudo usermod -aG nimbus %1 (then log out and in again).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The profile is not valid.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The helper does not know this network.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This network is already connected.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The network could not be started.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The helper is busy. Try again in a moment.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The helper hit an internal error.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The connection to the helper was lost.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The helper reported an error (%1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connecting to the Nimbus helper at %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connected to the Nimbus helper.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The Nimbus helper is not running (nothing listens at %1). Start it with: sudo systemctl start nimbus-helper. Nimbus reconnects by itself.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You may not open the helper&apos;s socket %1. Add your user to group nimbus: sudo usermod -aG nimbus %2 (then log out and in again).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The Nimbus helper at %1 speaks an incompatible protocol (%2). Install matching versions of Nimbus and its helper.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connecting to helper</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Helper connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Helper not running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No permission for the helper</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Incompatible helper</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No secret is stored for this profile.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No keychain is available on this desktop (Secret Service or KWallet).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The keychain refused access.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The keychain reported an error.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The process behind %1 does not run as root or as the nimbus service user, so Nimbus does not talk to it (%2).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Untrusted helper</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This goes beyond a limit of the helper.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Nimbus::EventModel</name>
    <message>
        <source>Peer connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Peer disconnected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Network state</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Helper message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nimbus</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Network</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Event</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 connected, encryption %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 disconnected: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connection recovered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This computer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 moved to another address (was %2); traffic follows it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 reached again from this computer&apos;s new network</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 reached again after this computer woke up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 answers again after a silence</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Network changed (%1): checking every connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Woke up after %1: checking every connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No path for</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Address: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Nimbus::Format</name>
    <message>
        <source>%1/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>nobody</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>timed out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>closed by the peer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unreachable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>rejected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>network shut down</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a more specific claim appeared</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the preferred node returned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>load balancing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connecting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Degraded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failover in progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disconnected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a node claimed it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the node withdrew its claim</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the preferred node became ready</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>stopped answering</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the node moved to another address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>replaced by a restarted node</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Node id: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Address: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Named after the configured peer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Named by the hosts file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Named by you</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reachable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Switchback</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lost</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failover</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reachable via %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Switchback to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Moved to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lost: nobody serves %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failover: %1 → %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Detected at %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No path for %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last heard from %1 %2 before detection</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Nimbus::MainWindow</name>
    <message>
        <source>Nimbus</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Connect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;New Profile…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Edit Profile…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>D&amp;uplicate Profile…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Delete Profile…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Import VpnCloud File…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>E&amp;xport Profile…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Close Window</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quit Nimbus; connected networks keep running.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Profile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;About Nimbus</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About Nimbus</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;Nimbus&lt;/b&gt; %1&lt;br&gt;A desktop mesh VPN speaking the VpnCloud 2.x protocol.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Profiles</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Profiles</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter peers, addresses and events</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>F&amp;ilter:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Peers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Claimed addresses</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Events</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Addresses</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not change %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Disconnect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Working…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disconnect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your user may only watch. Add it to group nimbus to connect networks.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>role: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You can watch the networks but not connect them. To connect, add your user to group nimbus: sudo usermod -aG nimbus $USER</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Peers (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Addresses (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Events (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No profiles yet. Create one or import a VpnCloud file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Address: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Peers: %1 of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Peers: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Device: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Error: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot resolve: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Name Selected Node…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Give the node selected in Peers or Addresses a name of your own.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Peers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Addresses</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Events</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A&amp;vailability</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Filter…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The connected peers of every network: name, address, claimed addresses, since when, traffic and encryption. F2 names the selected node.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every claimed address range, the node that serves it now and the other claimants. F2 names the serving node.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The timeline, newest first: route changes with when a failure was detected and how long traffic had no path, peers connecting and leaving, network states.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Availability</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Views</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Helper link</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Profile details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name This Node</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A name for %1 in %2 (empty: no name). It stays with the node&apos;s address and claims when the node restarts.
%3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Name This Node…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Availability (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last route change of %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no path for %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Nimbus::NotificationPresenter</name>
    <message>
        <source>Connected to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The network %1 is up.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disconnected from %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The network %1 is down.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The network %1 stopped with an error.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Peer lost on %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 disconnected: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 unreachable on %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failover on %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 took over %2 from %3 (%4).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Traffic had no path for %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nobody serves %1 any more: %2 is gone (%3).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 back on %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is served by %2 again.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Nimbus::OutageTimeline</name>
    <message>
        <source>Outages of %1 in the last hour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nobody serves it now; no outage of the last hour is known.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No outage in the last hour.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>from %1, still down (%2 so far): nobody serves it since %3 failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>at %1 for %2: nobody served it after %3 failed, until %4 took over</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>at %1 for %2: failover from %3 to %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outages in the last hour: %1; %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>−%1 min</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Nimbus::PeerModel</name>
    <message>
        <source>(unknown)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n packet(s) received</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n packet(s) sent</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>This node started the handshake.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The peer started the handshake.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Node</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Network</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Claims</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connected since</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Received</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Encryption</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Nimbus::ProfileDialog</name>
    <message>
        <source>New Profile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit Profile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Duplicate Profile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import Profile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. office</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Key pair</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Private key (base62)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Private key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Generate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Secret:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. 10.0.0.100/24</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Address:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ranges this node serves, e.g. 10.1.0.0/16</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Claims:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>One host:port per line</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Peers:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Listen port:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>General</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Optional: checks that the private key matches</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>P&amp;ublic key:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Public keys of trusted nodes, one per line</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Trusted keys:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>plain (unencrypted)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Al&amp;gorithms:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Security</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Mode:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Peer &amp;timeout:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Keepalive:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Fast failover (confirm dead peers early)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Balance traffic over equal claimants</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>De&amp;vice type:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Device &amp;name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Extra public addresses, e.g. 203.0.113.5:3210</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A&amp;dvertise:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Advanced</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>C&amp;reate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This helper cannot generate keys (it lacks keys.generate). Run “nimbus-helper genkey” and paste the private key, or use a password.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key generation needs the Nimbus helper, which is not reachable. Use a password, or paste a key from “nimbus-helper genkey”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ask the helper for a new key pair.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stored in the keychain; leave empty to keep it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The network&apos;s shared password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Also claim the &amp;own address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>None checked: aes256 (where the processor has AES instructions) and chacha20. Nimbus never offers AES-128.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shared pass&amp;word</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connect a&amp;utomatically</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connect this profile when Nimbus starts and whenever the helper comes back, with the secret from the keychain and without asking. Disconnecting it yourself pauses this until you connect it again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>S&amp;witch timeout:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Nimbus::ProfileEditor</name>
    <message>
        <source>Enter a name for the profile.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Another profile is already called “%1”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The name must not start or end with a space.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter a private key or generate a key pair.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter the network&apos;s password.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The helper cannot generate keys.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The helper sent no key pair.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Nimbus::ProfileListModel</name>
    <message>
        <source>Working…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Nimbus::ProfileManager</name>
    <message>
        <source>New network</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (copy)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete Profile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete the profile “%1” and its stored secret? A running network stays connected until you disconnect it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The profile was deleted, but its secret could not be removed from the keychain: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import VpnCloud Configuration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>VpnCloud configuration (*.net *.yaml *.yml);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is too large for a configuration file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Importing needs the Nimbus helper, which reads the file. %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Imported</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The file was read with warnings:
%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export Profile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>VpnCloud configuration (*.net *.yaml)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save Profile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A profile called “%1” exists already.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No Keychain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No keychain is available to store the secret of “%1” safely. Keep it in memory for this session only? You will be asked again after Nimbus restarts.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Keep for This Session</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save Secret</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The secret of “%1” could not be stored: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The helper sent an answer Nimbus cannot read (%1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exporting needs the Nimbus helper, which writes the file. %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Nimbus::SettingsDialog</name>
    <message>
        <source>Show &amp;notifications on connect, disconnect and failover</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start Nimbus when I &amp;log in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start &amp;minimized to the tray</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nimbus Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Colour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Monochrome, following the desktop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Monochrome light (for dark panels)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Monochrome dark (for light panels)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Tray icon:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Nimbus::TrafficChart</name>
    <message>
        <source>Traffic of the last minute</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Receiving %1, sending %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Received %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sent %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>60 s ago</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1/s</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Nimbus::TrayIcon</name>
    <message>
        <source>No profiles yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Open Nimbus</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Networks keep running after Nimbus quits.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nimbus</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connect and disconnect profiles, see who serves shared addresses, open the Nimbus window or quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Addresses more than one node claims, and addresses this computer uses, with the node that serves each</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No shared addresses</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Nimbus::TrayStateMachine</name>
    <message>
        <source>Disconnected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connecting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Degraded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failover in progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Helper unavailable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nimbus: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Profile: %1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Address: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Peers: %1 of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Peers: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Error: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No network is connected.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disconnecting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connect “%1”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disconnect “%1” (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot resolve: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lost: nobody serves %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lost: nobody serves %1 since %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last failover: %1 to %2 (no path for %3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last failover: %1 to %2 at %3 (no path for %4)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last failover: %1 to %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last failover: %1 to %2 at %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: nobody serves it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 via %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 via %2 (standby: %3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Addresses of “%1”</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Nimbus::WidgetUserPrompter</name>
    <message>
        <source>Private key for “%1”:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Password for “%1”:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connect</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
