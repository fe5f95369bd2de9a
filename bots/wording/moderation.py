"""Moderation (moderation bot, admin side): the admin room's commands, the alerts it receives
and the quick actions moderators take by reacting to them."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    # --- Help lines ------------------------------------------------------------------------------
    "help.ban": {
        "fr": "bannit de toute la campagne un compte, un motif (@*:serveur) ou un serveur, avec "
        "la raison publiée dans la liste de la campagne",
        "en": "bans an account, a pattern (@*:server) or a server from the whole campaign, with "
        "the reason published in the campaign's list",
    },
    "help.unban": {
        "fr": "retire une règle de la liste de la campagne (les bannissements qu'elle causait "
        "sont levés)",
        "en": "removes a rule from the campaign's list (the bans it caused are lifted)",
    },
    "help.listes": {
        "fr": "la liste de la campagne (ses dernières règles) et les listes surveillées",
        "en": "the campaign's list (its latest rules) and the watched lists",
    },
    "help.surveiller": {
        "fr": "suit une liste de bannissement d'une communauté (lecture seule) : ses règles "
        "s'appliquent dans nos salons",
        "en": "follows a community ban list (read-only): its rules apply in our rooms",
    },
    "help.nepplussurveiller": {
        "fr": "ne suit plus une liste surveillée (ses bannissements sont levés)",
        "en": "stops following a watched list (its bans are lifted)",
    },
    "help.depuis": {
        "fr": "bannit, expulse ou rend muets tous ceux arrivés dans un salon depuis une durée "
        "(« !depuis 10m kick »)",
        "en": "bans, kicks or mutes everyone who joined a room within a length of time "
        "(“!since 10m kick”)",
    },
    "help.demute": {
        "fr": "rend la parole à un compte rendu muet (par « !depuis … mute »), dans tous les "
        "salons d'équipe où il l'est ou dans un seul",
        "en": "gives a muted account its voice back (muted by “!since … mute”), in every team "
        "room where it is muted or in one",
    },
    "help.purge": {
        "fr": "efface les messages récents d'un compte dans tous les salons (« !purge "
        "@troll:exemple.org 24h »)",
        "en": "redacts an account's recent messages in every room (“!purge @troll:example.org "
        "24h”)",
    },
    "help.verrouiller": {
        "fr": "verrouille un salon d'équipe ou un espace (« !verrouiller 69 ») : on n'y entre "
        "plus que sur invitation (ou sur demande acceptée, dans un salon d'équipe si la "
        "campagne permet les demandes)",
        "en": "locks a team room or a space down (“!lock 69”): people only get in by invitation "
        "(or by asking to join and being let in, in a team room if the campaign allows asking)",
    },
    "help.deverrouiller": {
        "fr": "déverrouille un salon d'équipe ou un espace : on y entre de nouveau comme avant",
        "en": "unlocks a team room or a space: people get in as before again",
    },
    "help.protections": {
        "fr": "l'état de chaque protection, partout et par salon",
        "en": "the state of each protection, everywhere and per room",
    },
    "help.protection": {
        "fr": "active, désactive ou remet par défaut une protection, partout ou dans un salon",
        "en": "turns a protection on, off or back to its default, everywhere or in one room",
    },
    # --- Who may, where --------------------------------------------------------------------------
    "moderation.admin_only": {
        "fr": "Cette commande ne fonctionne que dans le salon d'administration de la modération.",
        "en": "This command only works in the moderation admin room.",
    },
    "moderation.not_moderator": {
        "fr": "Désolé, seuls les modérateurs (niveau 50 ou plus dans ce salon) peuvent utiliser "
        "!{command}.",
        "en": "Sorry, only moderators (power 50 or more in this room) may use !{command}.",
    },
    "moderation.no_policy_list": {
        "fr": "La liste de bannissement de la campagne n'est pas encore créée ; réessayez dans "
        "un instant.",
        "en": "The campaign's ban list is not created yet; try again in a moment.",
    },
    "moderation.homeserver_refused": {
        "fr": "Le serveur Matrix a refusé : {error}",
        "en": "The Matrix server refused: {error}",
    },
    "moderation.duration_invalid": {
        "fr": "Je ne comprends pas la durée « {text} » : écrivez par exemple 30s, 10m, 10 min, "
        "2h ou 3 jours.",
        "en": "I don't understand the length “{text}”: write for example 30s, 10m, 10 min, 2h "
        "or 3 days.",
    },
    "moderation.duration_too_long": {
        "fr": "« {text} » remonte trop loin : {days} jours au plus.",
        "en": "“{text}” goes back too far: {days} days at most.",
    },
    "moderation.user_invalid": {
        "fr": "« {text} » n'est pas un identifiant Matrix : écrivez @nom:serveur, ou mentionnez "
        "la personne.",
        "en": "“{text}” is not a Matrix ID: write @name:server, or mention the person.",
    },
    "moderation.room_unknown": {
        "fr": "Je ne trouve ni salon ni espace de la campagne pour « {room} » : donnez "
        "l'identifiant d'une équipe, root ou le code d'un département (69) pour un espace, ou "
        "l'adresse (#…:serveur), l'identifiant (!…:serveur) ou un lien matrix.to d'un salon "
        "d'équipe ou d'un espace.",
        "en": "I find no room or space of the campaign for “{room}”: give a team's id, root or "
        "a département's code (69) for a space, or the address (#…:server), id (!…:server) or "
        "matrix.to link of a team room or a space.",
    },
    # --- !ban ------------------------------------------------------------------------------------
    "moderation.ban.usage": {
        "fr": "Écrivez : !ban <@compte:serveur | motif | serveur> <raison>, par exemple "
        "« !ban @troll:exemple.org insultes répétées », « !ban @*:spam.example spam » ou "
        "« !ban spam.example raid ».",
        "en": "Type: !ban <@account:server | pattern | server> <reason>, for example "
        "“!ban @troll:example.org repeated insults”, “!ban @*:spam.example spam” or "
        "“!ban spam.example raid”.",
    },
    "moderation.ban.missing": {
        "fr": "Il manque qui bannir.",
        "en": "Who to ban is missing.",
    },
    "moderation.ban.entity_invalid": {
        "fr": "« {text} » n'est ni un identifiant Matrix (@nom:serveur), ni un motif "
        "(@*:serveur), ni un nom de serveur.",
        "en": "“{text}” is neither a Matrix ID (@name:server), nor a pattern (@*:server), nor a "
        "server name.",
    },
    "moderation.ban.reason_missing": {
        "fr": "Il manque la raison du bannissement de {entity} : elle est publiée dans la liste.",
        "en": "The reason for banning {entity} is missing: it is published in the list.",
    },
    "moderation.ban.too_wide": {
        "fr": "« {entity} » bannirait tout le monde : je refuse une règle aussi large.",
        "en": "“{entity}” would ban everyone: I refuse such a wide rule.",
    },
    "moderation.ban.ours": {
        "fr": "« {entity} » désigne {user}, un compte de la campagne : je ne le bannis pas.",
        "en": "“{entity}” covers {user}, one of the campaign's own accounts: I won't ban it.",
    },
    "moderation.ban.own_server": {
        "fr": "« {entity} » couvre notre propre serveur ({server}) : je ne bannis pas tous les "
        "comptes de la campagne.",
        "en": "“{entity}” covers our own server ({server}): I won't ban every account of the "
        "campaign.",
    },
    "moderation.ban.moderator": {
        "fr": "« {entity} » désigne {user}, modérateur du salon d'administration : retirez-lui "
        "d'abord ce rôle.",
        "en": "“{entity}” covers {user}, a moderator of the admin room: take that role away first.",
    },
    "moderation.ban.done_user.one": {
        "fr": "🔨 {entity} est banni par la liste de la campagne (raison : {reason}). Le "
        "bannissement s'applique dans {count} salon ; je vous dis quand c'est fait.",
        "en": "🔨 {entity} is banned by the campaign's list (reason: {reason}). The ban is being "
        "applied in {count} room; I will tell you when it is done.",
    },
    "moderation.ban.done_user.many": {
        "fr": "🔨 {entity} est banni par la liste de la campagne (raison : {reason}). Le "
        "bannissement s'applique dans {count} salons ; je vous dis quand c'est fait.",
        "en": "🔨 {entity} is banned by the campaign's list (reason: {reason}). The ban is being "
        "applied in {count} rooms; I will tell you when it is done.",
    },
    "moderation.ban.done_pattern.one": {
        "fr": "🔨 Règle ajoutée à la liste de la campagne : {entity} (raison : {reason}). Les "
        "membres qu'elle désigne sont bannis de {count} salon, et toute arrivée qu'elle désigne "
        "le sera aussi.",
        "en": "🔨 Rule added to the campaign's list: {entity} (reason: {reason}). The members it "
        "covers are banned from {count} room, and so will be anyone it covers who joins.",
    },
    "moderation.ban.done_pattern.many": {
        "fr": "🔨 Règle ajoutée à la liste de la campagne : {entity} (raison : {reason}). Les "
        "membres qu'elle désigne sont bannis de {count} salons, et toute arrivée qu'elle "
        "désigne le sera aussi.",
        "en": "🔨 Rule added to the campaign's list: {entity} (reason: {reason}). The members it "
        "covers are banned from {count} rooms, and so will be anyone it covers who joins.",
    },
    "moderation.ban.applied.one": {
        "fr": "✅ {entity} est banni de {count} salon.",
        "en": "✅ {entity} is banned from {count} room.",
    },
    "moderation.ban.applied.many": {
        "fr": "✅ {entity} est banni de {count} salons.",
        "en": "✅ {entity} is banned from {count} rooms.",
    },
    "moderation.ban.partly_applied.zero": {
        "fr": "⚠️ {entity} n'est banni d'aucun salon ; {refused} : {rooms}.",
        "en": "⚠️ {entity} is banned from no room; {refused}: {rooms}.",
    },
    "moderation.ban.partly_applied.one": {
        "fr": "⚠️ {entity} est banni de {count} salon ; {refused} : {rooms}.",
        "en": "⚠️ {entity} is banned from {count} room; {refused}: {rooms}.",
    },
    "moderation.ban.partly_applied.many": {
        "fr": "⚠️ {entity} est banni de {count} salons ; {refused} : {rooms}.",
        "en": "⚠️ {entity} is banned from {count} rooms; {refused}: {rooms}.",
    },
    "moderation.ban.refused.one": {
        "fr": "{count} a refusé",
        "en": "{count} refused",
    },
    "moderation.ban.refused.many": {
        "fr": "{count} ont refusé",
        "en": "{count} refused",
    },
    # --- !unban ----------------------------------------------------------------------------------
    "moderation.unban.usage": {
        "fr": "Écrivez : !unban <@compte:serveur | motif | serveur>, par exemple « !unban "
        "@troll:exemple.org » ou « !unban @*:spam.example » ; !listes montre les règles.",
        "en": "Type: !unban <@account:server | pattern | server>, for example “!unban "
        "@troll:example.org” or “!unban @*:spam.example”; !lists shows the rules.",
    },
    "moderation.unban.missing": {
        "fr": "Il manque la règle à retirer.",
        "en": "The rule to remove is missing.",
    },
    "moderation.unban.done": {
        "fr": "🔓 Règle retirée de la liste de la campagne : {entity}. Les bannissements qu'elle "
        "causait sont levés, sauf là où une autre règle bannit encore.",
        "en": "🔓 Rule removed from the campaign's list: {entity}. The bans it caused are lifted, "
        "except where another rule still bans.",
    },
    "moderation.unban.watched": {
        "fr": "{entity} est banni par la liste surveillée {list}, en lecture seule ici : je ne "
        "peux pas y retirer la règle. Pour ne plus suivre cette liste : !nepplussurveiller "
        "{list}.",
        "en": "{entity} is banned by the watched list {list}, read-only here: I cannot remove "
        "its rule. To stop following that list: !unwatch {list}.",
    },
    "moderation.unban.covered": {
        "fr": "{entity} n'a pas de règle à son nom, mais la règle « {rule} » de {list} le "
        "désigne ; « !unban {rule} » la retire (pour tous ceux qu'elle désigne).",
        "en": "{entity} has no rule of its own, but the rule “{rule}” of {list} covers it; "
        "“!unban {rule}” removes it (for everyone it covers).",
    },
    "moderation.unban.none": {
        "fr": "Aucune règle ne concerne « {entity} ». !listes montre les règles.",
        "en": "No rule concerns “{entity}”. !lists shows the rules.",
    },
    "moderation.list.campaign": {
        "fr": "la liste de la campagne",
        "en": "the campaign's list",
    },
    # --- !listes ---------------------------------------------------------------------------------
    "moderation.lists.campaign.zero": {
        "fr": "📋 Liste de la campagne ({name}) : aucune règle.",
        "en": "📋 Campaign's list ({name}): no rules.",
    },
    "moderation.lists.campaign.one": {
        "fr": "📋 Liste de la campagne ({name}) : {count} règle.",
        "en": "📋 Campaign's list ({name}): {count} rule.",
    },
    "moderation.lists.campaign.many": {
        "fr": "📋 Liste de la campagne ({name}) : {count} règles ; les dernières :",
        "en": "📋 Campaign's list ({name}): {count} rules; the latest:",
    },
    "moderation.lists.rule": {
        "fr": "{entity} — {reason} (par {sender})",
        "en": "{entity} — {reason} (by {sender})",
    },
    "moderation.lists.no_campaign": {
        "fr": "📋 La liste de la campagne n'est pas encore créée.",
        "en": "📋 The campaign's list is not created yet.",
    },
    "moderation.lists.watched": {
        "fr": "👀 Listes surveillées (lecture seule) :",
        "en": "👀 Watched lists (read-only):",
    },
    "moderation.lists.watched_line.one": {
        "fr": "{name} — {count} règle",
        "en": "{name} — {count} rule",
    },
    "moderation.lists.watched_line.many": {
        "fr": "{name} — {count} règles",
        "en": "{name} — {count} rules",
    },
    "moderation.lists.no_watched": {
        "fr": "👀 Aucune liste surveillée ; « !surveiller #liste:serveur » en suit une.",
        "en": "👀 No watched list; “!watch #list:server” follows one.",
    },
    # --- !surveiller / !nepplussurveiller --------------------------------------------------------
    "moderation.watch.usage": {
        "fr": "Écrivez : !surveiller <#liste:serveur | !identifiant:serveur>, par exemple "
        "« !surveiller #community-bans:matrix.org ».",
        "en": "Type: !watch <#list:server | !id:server>, for example “!watch "
        "#community-bans:matrix.org”.",
    },
    "moderation.watch.missing": {
        "fr": "Il manque la liste à surveiller.",
        "en": "The list to watch is missing.",
    },
    "moderation.watch.invalid": {
        "fr": "« {text} » n'est ni une adresse de salon (#nom:serveur) ni un identifiant de salon "
        "(!…:serveur).",
        "en": "“{text}” is neither a room address (#name:server) nor a room id (!…:server).",
    },
    "moderation.watch.not_found": {
        "fr": "Je ne trouve pas le salon « {text} ».",
        "en": "I cannot find the room “{text}”.",
    },
    "moderation.watch.join_failed": {
        "fr": "Je n'ai pas pu rejoindre « {text} » : {error}",
        "en": "I could not join “{text}”: {error}",
    },
    "moderation.watch.own": {
        "fr": "« {text} » est un salon de modération de la campagne, pas une liste à surveiller.",
        "en": "“{text}” is one of the campaign's moderation rooms, not a list to watch.",
    },
    "moderation.watch.already": {
        "fr": "Je surveille déjà {name}.",
        "en": "I already watch {name}.",
    },
    "moderation.watch.done": {
        "fr": "👀 Je surveille désormais la liste {name} (lecture seule) : ses règles "
        "s'appliquent dans tous les salons de la campagne.",
        "en": "👀 I now watch the list {name} (read-only): its rules apply in every room of the "
        "campaign.",
    },
    "moderation.unwatch.usage": {
        "fr": "Écrivez : !nepplussurveiller <#liste:serveur | !identifiant:serveur>, par exemple "
        "« !nepplussurveiller #community-bans:matrix.org » ; !listes montre les listes "
        "surveillées.",
        "en": "Type: !unwatch <#list:server | !id:server>, for example “!unwatch "
        "#community-bans:matrix.org”; !lists shows the watched lists.",
    },
    "moderation.unwatch.unknown": {
        "fr": "« {text} » n'est pas une liste surveillée.",
        "en": "“{text}” is not a watched list.",
    },
    "moderation.unwatch.done": {
        "fr": "Je ne surveille plus {name} : {rules}, {unbans}.",
        "en": "I no longer watch {name}: {rules}, {unbans}.",
    },
    "moderation.unwatch.rules.zero": {
        "fr": "aucune règle oubliée",
        "en": "no rules forgotten",
    },
    "moderation.unwatch.rules.one": {
        "fr": "{count} règle oubliée",
        "en": "{count} rule forgotten",
    },
    "moderation.unwatch.rules.many": {
        "fr": "{count} règles oubliées",
        "en": "{count} rules forgotten",
    },
    "moderation.unwatch.unbans.zero": {
        "fr": "aucun bannissement levé",
        "en": "no bans lifted",
    },
    "moderation.unwatch.unbans.one": {
        "fr": "{count} bannissement levé",
        "en": "{count} ban lifted",
    },
    "moderation.unwatch.unbans.many": {
        "fr": "{count} bannissements levés",
        "en": "{count} bans lifted",
    },
    # --- !depuis ---------------------------------------------------------------------------------
    "moderation.since.usage": {
        "fr": "Écrivez : !depuis <durée> ban|kick|mute [salon] [raison], par exemple « !depuis "
        "10m kick », « !depuis 2h ban #equipe:serveur spam » ou « !depuis 30 min mute ».",
        "en": "Type: !since <length> ban|kick|mute [room] [reason], for example “!since 10m "
        "kick”, “!since 2h ban #team:server spam” or “!since 30 min mute”.",
    },
    "moderation.since.missing": {
        "fr": "Il manque la durée et l'action.",
        "en": "The length and the action are missing.",
    },
    "moderation.since.action_missing": {
        "fr": "Il manque l'action après la durée : ban, kick ou mute.",
        "en": "The action after the length is missing: ban, kick or mute.",
    },
    "moderation.since.duration_missing": {
        "fr": "Il manque la durée avant l'action, par exemple 10m.",
        "en": "The length before the action is missing, for example 10m.",
    },
    "moderation.since.none": {
        "fr": "Personne n'est arrivé {where} depuis {window} (hors comptes de la campagne et "
        "modérateurs).",
        "en": "Nobody joined {where} in the last {window} (the campaign's accounts and "
        "moderators aside).",
    },
    "moderation.since.everywhere": {
        "fr": "dans les salons de la campagne",
        "en": "the campaign's rooms",
    },
    "moderation.since.in_room": {
        "fr": "dans {room}",
        "en": "{room}",
    },
    "moderation.since.ban.one": {
        "fr": "🔨 {count} compte arrivé {where} depuis {window} est banni de toute la campagne "
        "(raison : {reason}) :",
        "en": "🔨 {count} account that joined {where} in the last {window} is banned from the "
        "whole campaign (reason: {reason}):",
    },
    "moderation.since.ban.many": {
        "fr": "🔨 {count} comptes arrivés {where} depuis {window} sont bannis de toute la "
        "campagne (raison : {reason}) :",
        "en": "🔨 {count} accounts that joined {where} in the last {window} are banned from the "
        "whole campaign (reason: {reason}):",
    },
    "moderation.since.kick.one": {
        "fr": "👢 {count} compte arrivé {where} depuis {window} est expulsé des salons où il "
        "est arrivé :",
        "en": "👢 {count} account that joined {where} in the last {window} is kicked from the "
        "rooms it joined:",
    },
    "moderation.since.kick.many": {
        "fr": "👢 {count} comptes arrivés {where} depuis {window} sont expulsés des salons où "
        "ils sont arrivés :",
        "en": "👢 {count} accounts that joined {where} in the last {window} are kicked from the "
        "rooms they joined:",
    },
    "moderation.since.mute.one": {
        "fr": "🔇 {count} compte arrivé {where} depuis {window} ne peut plus écrire dans les "
        "salons d'équipe où il est arrivé :",
        "en": "🔇 {count} account that joined {where} in the last {window} can no longer write "
        "in the team rooms it joined:",
    },
    "moderation.since.mute.many": {
        "fr": "🔇 {count} comptes arrivés {where} depuis {window} ne peuvent plus écrire dans "
        "les salons d'équipe où ils sont arrivés :",
        "en": "🔇 {count} accounts that joined {where} in the last {window} can no longer write "
        "in the team rooms they joined:",
    },
    "moderation.since.default_reason": {
        "fr": "raid",
        "en": "raid",
    },
    # --- !demute --------------------------------------------------------------------------------
    "moderation.unmute.usage": {
        "fr": "Écrivez : !demute <@compte:serveur> [salon], par exemple « !demute "
        "@marie:exemple.org » (dans tous les salons d'équipe où elle est muette) ou « !demute "
        "@marie:exemple.org equipe-croix-rousse-3fa2c1 ».",
        "en": "Type: !unmute <@account:server> [room], for example “!unmute @marie:example.org” "
        "(in every team room where they are muted) or “!unmute @marie:example.org "
        "equipe-croix-rousse-3fa2c1”.",
    },
    "moderation.unmute.missing": {
        "fr": "Il manque le compte à qui rendre la parole.",
        "en": "The account to give its voice back to is missing.",
    },
    "moderation.unmute.not_muted": {
        "fr": "{user} n'est muet dans aucun salon d'équipe.",
        "en": "{user} is not muted in any team room.",
    },
    "moderation.unmute.not_muted_in": {
        "fr": "{user} n'est pas muet dans {room}.",
        "en": "{user} is not muted in {room}.",
    },
    "moderation.unmute.done": {
        "fr": "🔊 {user} peut de nouveau écrire dans :",
        "en": "🔊 {user} can write again in:",
    },
    # --- !purge ----------------------------------------------------------------------------------
    "moderation.purge.usage": {
        "fr": "Écrivez : !purge <@compte:serveur> <durée>, par exemple « !purge "
        "@troll:exemple.org 24h » ou « !purge @troll:exemple.org 3 jours ».",
        "en": "Type: !purge <@account:server> <length>, for example “!purge "
        "@troll:example.org 24h” or “!purge @troll:example.org 3 days”.",
    },
    "moderation.purge.missing": {
        "fr": "Il manque le compte et la durée.",
        "en": "The account and the length are missing.",
    },
    "moderation.purge.duration_missing": {
        "fr": "Il manque la durée après le compte, par exemple 24h.",
        "en": "The length after the account is missing, for example 24h.",
    },
    "moderation.purge.ours": {
        "fr": "{user} est un compte de la campagne : je n'efface pas ses messages.",
        "en": "{user} is one of the campaign's accounts: I won't redact its messages.",
    },
    "moderation.purge.none": {
        "fr": "🧹 Aucun message de {user} depuis {window} dans les salons de la campagne.",
        "en": "🧹 No message from {user} in the last {window} in the campaign's rooms.",
    },
    "moderation.purge.done.one": {
        "fr": "🧹 {count} message de {user} (depuis {window}) va être effacé :",
        "en": "🧹 {count} message from {user} (in the last {window}) is being redacted:",
    },
    "moderation.purge.done.many": {
        "fr": "🧹 {count} messages de {user} (depuis {window}) vont être effacés :",
        "en": "🧹 {count} messages from {user} (in the last {window}) are being redacted:",
    },
    "moderation.purge.room": {
        "fr": "{room} : {count}",
        "en": "{room}: {count}",
    },
    "moderation.purge.unreadable": {
        "fr": "Je n'ai pas pu lire {count} salon(s) : {rooms}.",
        "en": "I could not read {count} room(s): {rooms}.",
    },
    # --- !verrouiller / !deverrouiller -----------------------------------------------------------
    "moderation.lock.usage": {
        "fr": "Écrivez : !verrouiller <salon>, le salon étant l'identifiant d'une équipe, root "
        "(l'espace de la campagne) ou le code d'un département (son espace), ou l'adresse, "
        "l'identifiant ou un lien matrix.to d'un salon d'équipe ou d'un espace ; par exemple "
        "« !verrouiller equipe-croix-rousse-3fa2c1 » ou « !verrouiller 69 ».",
        "en": "Type: !lock <room>, the room being a team's id, root (the campaign's space) or a "
        "département's code (its space), or the address, id or matrix.to link of a team room "
        "or a space; for example “!lock equipe-croix-rousse-3fa2c1” or “!lock 69”.",
    },
    "moderation.unlock.usage": {
        "fr": "Écrivez : !deverrouiller <salon>, le salon étant l'identifiant d'une équipe, root "
        "(l'espace de la campagne) ou le code d'un département (son espace), ou l'adresse, "
        "l'identifiant ou un lien matrix.to d'un salon d'équipe ou d'un espace ; par exemple "
        "« !deverrouiller equipe-croix-rousse-3fa2c1 » ou « !deverrouiller 69 ».",
        "en": "Type: !unlock <room>, the room being a team's id, root (the campaign's space) or "
        "a département's code (its space), or the address, id or matrix.to link of a team "
        "room or a space; for example “!unlock equipe-croix-rousse-3fa2c1” or “!unlock 69”.",
    },
    "moderation.room_missing": {
        "fr": "Il manque le salon.",
        "en": "The room is missing.",
    },
    "moderation.lock.done": {
        "fr": "🔒 {room} est verrouillé : {entry}.",
        "en": "🔒 {room} is locked down: {entry}.",
    },
    "moderation.entry.invite": {
        "fr": "on n'y entre plus que sur invitation",
        "en": "people only get in by invitation",
    },
    "moderation.entry.knock": {
        "fr": "on n'y entre plus que sur invitation ou sur demande acceptée",
        "en": "people only get in by invitation, or by asking to join and being let in",
    },
    "moderation.lock.already": {
        "fr": "{room} est déjà verrouillé.",
        "en": "{room} is already locked down.",
    },
    "moderation.unlock.done": {
        "fr": "🔓 {room} est déverrouillé.",
        "en": "🔓 {room} is unlocked.",
    },
    "moderation.unlock.not_locked": {
        "fr": "{room} n'est pas verrouillé.",
        "en": "{room} is not locked down.",
    },
    # --- !protections / !protection --------------------------------------------------------------
    "moderation.protections.header": {
        "fr": "🛡️ Protections (« !protection <nom> on|off|defaut [salon] » pour changer) :",
        "en": "🛡️ Protections (“!protection <name> on|off|default [room]” to change):",
    },
    "moderation.protections.line": {
        "fr": "{name} : {state}",
        "en": "{name}: {state}",
    },
    "moderation.protections.overrides": {
        "fr": "sauf : {rooms}",
        "en": "except: {rooms}",
    },
    "moderation.protections.override": {
        "fr": "{room} ({state})",
        "en": "{room} ({state})",
    },
    "moderation.state.on": {
        "fr": "activée",
        "en": "on",
    },
    "moderation.state.off": {
        "fr": "désactivée",
        "en": "off",
    },
    "moderation.protection.usage": {
        "fr": "Écrivez : !protection <nom> on|off|defaut [salon], par exemple « !protection "
        "mentions off », « !protection join_wave on equipe-croix-rousse-3fa2c1 » ou "
        "« !protection words defaut ». Les noms : join_wave, words, display_names, "
        "new_member_links, mentions.",
        "en": "Type: !protection <name> on|off|default [room], for example “!protection "
        "mentions off”, “!protection join_wave on equipe-croix-rousse-3fa2c1” or “!protection "
        "words default”. The names: join_wave, words, display_names, new_member_links, "
        "mentions.",
    },
    "moderation.protection.missing": {
        "fr": "Il manque le nom de la protection et l'état voulu.",
        "en": "The protection's name and the wanted state are missing.",
    },
    "moderation.protection.unknown": {
        "fr": "Je ne connais pas la protection « {name} ».",
        "en": "I don't know the protection “{name}”.",
    },
    "moderation.protection.state_invalid": {
        "fr": "« {text} » n'est pas un état : on, off ou defaut.",
        "en": "“{text}” is not a state: on, off or default.",
    },
    "moderation.protection.set": {
        "fr": "🛡️ {name} : {state} {where}.",
        "en": "🛡️ {name}: {state} {where}.",
    },
    "moderation.protection.cleared": {
        "fr": "🛡️ {name} : réglage par défaut {where} (maintenant {state}).",
        "en": "🛡️ {name}: back to the default {where} (now {state}).",
    },
    "moderation.protection.everywhere": {
        "fr": "partout",
        "en": "everywhere",
    },
    "moderation.protection.in_room": {
        "fr": "dans {room}",
        "en": "in {room}",
    },
    "moderation.protection_name.join_wave": {
        "fr": "join_wave (vague d'arrivées)",
        "en": "join_wave (join wave)",
    },
    "moderation.protection_name.words": {
        "fr": "words (mots interdits)",
        "en": "words (forbidden words)",
    },
    "moderation.protection_name.display_names": {
        "fr": "display_names (noms affichés)",
        "en": "display_names (display names)",
    },
    "moderation.protection_name.new_member_links": {
        "fr": "new_member_links (liens des nouveaux)",
        "en": "new_member_links (newcomers' links)",
    },
    "moderation.protection_name.mentions": {
        "fr": "mentions (mentions en masse)",
        "en": "mentions (mass mentions)",
    },
    # --- Alerts ----------------------------------------------------------------------------------
    "moderation.alert.join_wave": {
        "fr": "🚨 Vague d'arrivées dans {room} : {joins} arrivées en {seconds} s. Il est "
        "verrouillé : {entry}.",
        "en": "🚨 Join wave in {room}: {joins} joins in {seconds} s. It is locked down: {entry}.",
    },
    "moderation.alert.joiners": {
        "fr": "Arrivés :",
        "en": "Joined:",
    },
    "moderation.alert.join_wave_hint": {
        "fr": "Pour agir sur eux : !depuis 10m kick|ban|mute ; réagissez 🔓 pour le déverrouiller.",
        "en": "To act on them: !since 10m kick|ban|mute; react 🔓 to unlock it.",
    },
    "moderation.alert.report": {
        "fr": "🚩 Signalement n°{id} : {reported} signalé par {reporter} dans {room}.",
        "en": "🚩 Report #{id}: {reported} reported by {reporter} in {room}.",
    },
    "moderation.alert.report_reason": {
        "fr": "Motif : {reason}",
        "en": "Reason: {reason}",
    },
    "moderation.alert.excerpt": {
        "fr": "Extrait : « {excerpt} »",
        "en": "Excerpt: “{excerpt}”",
    },
    "moderation.alert.link": {
        "fr": "Message : {link}",
        "en": "Message: {link}",
    },
    "moderation.alert.report_actions": {
        "fr": "Réagissez : 🔨 bannir de la campagne, 🗑️ effacer le message, 👢 expulser du "
        "salon, ✅ classer.",
        "en": "React: 🔨 ban from the campaign, 🗑️ redact the message, 👢 kick from the room, "
        "✅ dismiss.",
    },
    "moderation.alert.report_missing": {
        "fr": "🚩 Signalement n°{id} (introuvable).",
        "en": "🚩 Report #{id} (not found).",
    },
    "moderation.alert.protection.redacted": {
        "fr": "🛡️ {protection} : message de {user} effacé dans {room} ({strikes} avertissement(s)).",
        "en": "🛡️ {protection}: message from {user} redacted in {room} ({strikes} strike(s)).",
    },
    "moderation.alert.protection.kicked": {
        "fr": "🛡️ {protection} : {user} expulsé de {room} ({strikes} avertissement(s)).",
        "en": "🛡️ {protection}: {user} kicked from {room} ({strikes} strike(s)).",
    },
    "moderation.alert.protection.banned": {
        "fr": "🛡️ {protection} : {user} banni de toute la campagne après {strikes} "
        "avertissement(s) (dernier dans {room}).",
        "en": "🛡️ {protection}: {user} banned from the whole campaign after {strikes} strike(s) "
        "(the last in {room}).",
    },
    "moderation.alert.policy.added": {
        "fr": "📜 Règle ajoutée à {list} par {sender} : {entity} (raison : {reason}) ; "
        "appliquée dans {rooms} salon(s).",
        "en": "📜 Rule added to {list} by {sender}: {entity} (reason: {reason}); applied in "
        "{rooms} room(s).",
    },
    "moderation.alert.policy.removed": {
        "fr": "📜 Règle retirée de {list} par {sender} : {entity} ; bannissements levés dans "
        "{rooms} salon(s).",
        "en": "📜 Rule removed from {list} by {sender}: {entity}; bans lifted in {rooms} room(s).",
    },
    "moderation.alert.lockdown.locked": {
        "fr": "🔒 {room} est verrouillé ({by}).",
        "en": "🔒 {room} is locked down ({by}).",
    },
    "moderation.alert.lockdown.unlocked": {
        "fr": "🔓 {room} est déverrouillé ({by}).",
        "en": "🔓 {room} is unlocked ({by}).",
    },
    "moderation.alert.lockdown_hint": {
        "fr": "Réagissez 🔓 pour le déverrouiller.",
        "en": "React 🔓 to unlock it.",
    },
    "moderation.alert.unknown": {
        "fr": "Alerte {kind}.",
        "en": "Alert {kind}.",
    },
    # --- Quick actions (reactions on alerts) -----------------------------------------------------
    "moderation.quick.not_moderator": {
        "fr": "{user} : seuls les modérateurs (niveau 50 ou plus ici) agissent sur les alertes.",
        "en": "{user}: only moderators (power 50 or more here) act on alerts.",
    },
    "moderation.quick.banned": {
        "fr": "🔨 {moderator} a banni {user} de toute la campagne (signalement n°{id}).",
        "en": "🔨 {moderator} banned {user} from the whole campaign (report #{id}).",
    },
    "moderation.quick.redacted": {
        "fr": "🗑️ {moderator} a fait effacer le message signalé de {user} (signalement n°{id}).",
        "en": "🗑️ {moderator} had {user}'s reported message redacted (report #{id}).",
    },
    "moderation.quick.kicked": {
        "fr": "👢 {moderator} a expulsé {user} de {room} (signalement n°{id}).",
        "en": "👢 {moderator} kicked {user} from {room} (report #{id}).",
    },
    "moderation.quick.dismissed": {
        "fr": "✅ {moderator} a classé le signalement n°{id} sans suite.",
        "en": "✅ {moderator} dismissed report #{id}.",
    },
    "moderation.quick.already": {
        "fr": "Le signalement n°{id} a déjà été traité par {moderator} ({resolution}).",
        "en": "Report #{id} was already handled by {moderator} ({resolution}).",
    },
    "moderation.quick.refused": {
        "fr": "Je ne bannis pas {user} : c'est un compte de la campagne ou un modérateur.",
        "en": "I won't ban {user}: it is one of the campaign's accounts or a moderator.",
    },
    "moderation.quick.unlocked": {
        "fr": "🔓 {moderator} a déverrouillé {room}.",
        "en": "🔓 {moderator} unlocked {room}.",
    },
    "moderation.quick.not_locked": {
        "fr": "{room} n'était plus verrouillé.",
        "en": "{room} was no longer locked down.",
    },
    "moderation.quick.failed": {
        "fr": "⚠️ L'action de {moderator} n'a pas abouti : {error}",
        "en": "⚠️ {moderator}'s action did not go through: {error}",
    },
    "moderation.quick.ban_reason": {
        "fr": "signalement n°{id}",
        "en": "report #{id}",
    },
    "moderation.quick.action_reason": {
        "fr": "signalement n°{id}",
        "en": "report #{id}",
    },
    "moderation.resolution.banned": {
        "fr": "banni",
        "en": "banned",
    },
    "moderation.resolution.redacted": {
        "fr": "message effacé",
        "en": "message redacted",
    },
    "moderation.resolution.kicked": {
        "fr": "expulsé",
        "en": "kicked",
    },
    "moderation.resolution.dismissed": {
        "fr": "classé",
        "en": "dismissed",
    },
}
