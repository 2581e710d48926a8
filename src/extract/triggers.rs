//! Event triggers: the words that make a sentence report an event of a given
//! type, the checks that it really happened (not planned, feared, hoped for or
//! denied), and the choice of one type per sentence by priority.

use std::sync::LazyLock;

use regex::Regex;

use crate::incidents::EventType;

/// A trigger found in a sentence (offsets relative to the sentence).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Trigger {
    /// The event type it signals.
    pub event_type: EventType,
    /// Start byte.
    pub start: usize,
    /// End byte (exclusive).
    pub end: usize,
}

/// Patterns per type. Nominal triggers (nouns) get a narrower irrealis window
/// than verbs.
struct Rule {
    event_type: EventType,
    re: Regex,
}

/// A rule's type and pattern; [`RULES`] compiles them.
fn rule(event_type: EventType, pattern: &'static str) -> (EventType, &'static str) {
    (event_type, pattern)
}

/// The trigger rules, compiled on every core at once: these are the largest
/// patterns of the extractor, and compiling them one after the other was
/// half the time of a first extraction (a `badiya extract` of one sentence,
/// or the window's start).
///
/// Plain scoped threads, not rayon's: a rayon worker waiting inside this
/// initialiser could pick up another extraction that needs `RULES` itself.
static RULES: LazyLock<Vec<Rule>> = LazyLock::new(|| {
    let patterns = rule_patterns();
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    let threads = threads.clamp(1, patterns.len().max(1));
    let compile = |k: usize| -> Vec<(usize, Rule)> {
        patterns
            .iter()
            .enumerate()
            .skip(k)
            .step_by(threads)
            .map(|(i, &(event_type, pattern))| {
                let re = crate::pattern::compile(pattern)
                    .expect("trigger patterns are valid regular expressions");
                (i, Rule { event_type, re })
            })
            .collect()
    };
    let mut compiled: Vec<(usize, Rule)> = std::thread::scope(|scope| {
        let others: Vec<_> = (1..threads)
            .map(|k| scope.spawn(move || compile(k)))
            .collect();
        let mut all = compile(0);
        for handle in others {
            match handle.join() {
                Ok(part) => all.extend(part),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        all
    });
    compiled.sort_by_key(|(i, _)| *i);
    compiled.into_iter().map(|(_, rule)| rule).collect()
});

/// Compiles the trigger rules now, if no extraction has yet.
pub fn compile_rules() {
    LazyLock::force(&RULES);
}

fn rule_patterns() -> Vec<(EventType, &'static str)> {
    use EventType::*;
    vec![
        // Capture: of a town, area or site it is fighting (clash, per the
        // labelling guide); of goods or people it is a seizure. Which one is
        // decided by the words around it (`capture_type`).
        rule(
            Seizure,
            r"(?i)\b(?:seiz(?:e|ed|es|ing|ure|ures)|captur(?:e|ed|es|ing)|conquer(?:s|ed|ing)?|conquest of|recaptur(?:e|ed|es|ing)|overr(?:an|un|unning|uns)|(?:took|take|takes|taking|taken|seized|gained|established|establish|establishing|establishes|wrested|regained|regain|restored|restoring|retook|retaken|asserted|asserting|extended|extending) (?:full |complete |total )?control|(?:took|taken|taking) (?:the )?(?:cit(?:y|ies)|towns?|villages?|areas?|districts?|neighbou?rhoods?|airports?|air ?bases?)\b|(?:took|taken|taking) (?:the )?(?:(?-i:[A-Z])[\w'’-]* ){0,3}(?:(?:oil|gas) ?fields?|(?:border )?crossings?|dams?|bridges?|airfields?|military bases?)\b|took power|seized power|came to power|(?:claim(?:s|ed|ing)?|said|says|announced) (?:that )?(?:they|it|its forces|their forces|their fighters) (?:now )?(?:control|are in control of|were in control of)|took over|taken over|take over|takes over|taking over|fell (?:completely |entirely |quickly |swiftly |largely )?to (?:the )?(?:(?-i:[A-Z])[\w'’-]*|militants|jihadists|insurgents|rebels|the group|fighters|forces)|retook|retaken|retake|regain(?:ed|s|ing)? (?:the )?(?:areas?|towns?|cit(?:y|ies)|villages?|districts?|territory|territories|countryside|region|(?-i:[A-Z])[\w'’-]*)|liberat(?:e|ed|es|ing|ions?)|re-?t(?:ake|akes|aking|aken|ook)|t(?:ake|akes|aking|ook|aken) back|fre(?:e|ed|eing) (?:the )?(?:towns?|city|villages?|areas?|(?-i:[A-Z])[\w'’-]*)|(?:has|have|had) been held (?:since|by)|territorial(?:ly)? defeat(?:ed)?|defeat of (?:the |its |IS's |ISIS's )?(?:territorial )?(?:self-declared )?caliphate|defeat(?:ed)? (?:in|at) (?:(?:19|20)\d\d|(?:(?:al|el)-)?(?-i:[A-Z])[\w'’-]*)|fall of (?:the (?:towns?|city|village) of )?(?-i:[A-Z])[\w'’-]*|(?:drove|driven|driving|pushed|expelled|expelling|ousted) (?:[\w-]+ ){0,3}?(?:out|from)|dislodg(?:e|ed|es|ing)|confiscat(?:e|ed|es|ing|ion)|recover(?:ed|ing) (?:[\w-]+ ){0,4}?(?:weapons|launchers?|rockets?|explosives|ammunition|arms|rifles|guns)|recover(?:ed|ing|y of) (?:the )?(?:(?:towns?|city|villages?|areas?|districts?) of )?(?-i:[A-Z])[\w'’-]+)\b|(?i:\b(?:fall|downfall|collapse|ouster|overthrow|toppling)\s+of\s+(?:the\s+)?(?:(?:(?-i:[A-Z])[\w-]*\s+){1,2}(?:regime|government)|(?:President|Prime Minister|leader)\s+(?-i:[A-Z])))",
        ),
        // Arrests and captures of people by security forces are seizures too.
        rule(
            Seizure,
            r"(?i)\b(?:arrest(?:ed|s|ing)?|detain(?:ed|ing|s)?|detentions? of|apprehend(?:ed|ing|s)?|apprehension of|rounded up|nabbed|(?:taken|took) (?:[\w-]+ ){0,3}?into custody|intercept(?:ed|ing|s)?|surrender(?:ed|s|ing)?|foiled (?:an? )?(?:attempt to )?smuggl\w*|thwarted (?:an? )?(?:attempt to )?smuggl\w*)\b",
        ),
        // "Discovered were 35 Kalashnikov rifles": the find told first.
        rule(
            Seizure,
            r"^(?:(?:Also|Among them|In all),? )?(?:Discovered|Found|Seized|Confiscated|Recovered|Uncovered) (?:were|was) (?:[\w,-]+ ){0,4}?(?:rifles|weapons|arms|ammunition|explosives|grenades|(?:land)?mines|pistols|guns|rockets|missiles|drugs|pills|cash|vehicles|caches?|devices)\b",
        ),
        // Finds: a hideout, cache or tunnel discovered is taken out of use
        // (ACLED's disrupted weapons use).
        rule(
            Seizure,
            r"(?i)\b(?:(?:discover(?:ed|s|y of)|uncover(?:ed|s|ing)?|unearth(?:ed|s|ing)?|found|finds?) (?:[\w,'’-]+ ){0,6}?(?:hideouts?|hide-outs?|caches?|tunnels?|warehouses?|depots?|stockpiles?|arsenals?|weapons|ammunition|explosives|arms|drugs|captagon)|(?:hideouts?|hide-outs?|caches?|tunnels?|warehouses?|depots?|stockpiles?|arsenals?|weapons|ammunition|explosives|missiles|rockets) (?:[\w'’-]+ ){0,6}?(?:(?:was|were|been|being) )?(?:discovered|uncovered|unearthed|found))\b",
        ),
        rule(
            Clash,
            r"(?i)\b(?:clash(?:es|ed|ing)?|(?:heavy |fierce |intense |violent )?fighting|(?:renewed )?hostilities (?:have |has |had )?(?:erupted|broke out|resumed|subsided|continued|raged|escalated|intensified|eased)|(?:the |a )fight (?:for|to (?:win back|retake|recapture|reclaim|liberate|take back|regain)) |violence (?:had |has )?(?:erupted|broke out|flared(?: up)?)|military escalation|escalation (?:of|in) (?:the )?(?:fighting|hostilities|violence)|(?:crushed|routed) by (?:[\w.-]+ ){0,3}?(?:forces|troops|the army|fighters)|(?:forces|rebels|fighters|insurgents|militants|offensive|troops) (?:[\w'’-]+ ){0,2}?(?:toppled|overthrew|overran)|fought|fights? (?:against )?(?:the )?(?:Islamic State|IS|ISIS|ISIL|Daesh|militants|insurgents|rebels|jihadists|government forces|the army)|occupied by|firefights?|gunfights?|(?:killed |wounded |injured )?in combat|gun battles?|skirmish(?:es|ed)?|battl(?:e|es|ed|ing)|exchang(?:ed|ing) fire|exchanges? of fire|besieg(?:e|ed|ing)|(?:laid|lay|lays|laying) siege|under siege|siege (?:of|on)|territorial gains|under (?:the )?(?:Islamic State|IS|ISIS|ISIL|Daesh|militant|jihadist|insurgent|rebel|the group|SDF|Kurdish|regime|government|Turkish)(?:'s|’s)? control|encircl(?:e|ed|ing)|blockad(?:e|ed|ing)|counter-?attack(?:s|ed)?|counter-?offensive|offensive|repel(?:led|s|ling)?|repuls(?:ed|ing)|swept (?:through|across|into)|invad(?:e|ed|es|ing)|invasion of|(?:lost|losing|loses|gained|gaining|gains) ground|surround(?:ed|ing)|cut off (?:[\w'’-]+ ){0,3}?(?:supply (?:routes?|lines?)|escape routes?)|advanc(?:e|ed|ing|es) (?:deeper |further |successfully |rapidly |steadily )?(?:into|towards?|on)|(?:made|make|makes|making) (?:[\w-]+ ){0,2}?(?:advances|gains) (?:in|into|on|across|toward|towards|against)|defeat(?:ed|ing|s)? (?:the )?(?:Islamic State|IS|ISIS|ISIL|Daesh|jihadists|militants|insurgents)|(?:lost|loses|losing) (?:[\w-]+ ){0,4}?(?:territory|territories|strongholds?|(?:the )?(?:town|city|village) of)|(?:claim(?:s|ed|ing)?|declar(?:e|es|ed|ing)|won|wins|win) (?:a |the )?(?:[\w-]+ )?victory (?:over (?:[\w'’-]+ ){1,3}?)?(?:in|at) (?-i:[A-Z])[\w'’-]*)\b",
        ),
        rule(
            Attack,
            r"(?i)\b(?:attack(?:s|ed|ing)?|assault(?:s|ed|ing)?|IED['’]s|set ablaze by|(?:set|were set) (?:on fire|ablaze) by|air ?strikes?|airstrikes?|drone strikes?|strikes? (?:on|against|targeting)|(?:conduct(?:ed|s|ing)?|carr(?:ied|ies|ying) out|launch(?:ed|es|ing)?) (?:[\w-]+ ){0,3}?strikes|strikes? (?:also )?(?:engaged|suppressed)|(?:jets|warplanes|aircraft|planes|drones|bombers|helicopters|artillery) (?:[\w-]+ ){0,2}?(?:strike|hit|pound|bomb|target)s? |struck|bomb(?:s|ed|ing|ings)?|car bomb|shell(?:ed|ing)|ambush(?:ed|es)?|raid(?:s|ed)?|rockets? (?:were |was )?fired|mortar (?:fire|rounds|shells)|IEDs?|explosions?|explod(?:ed|es)|assassinat(?:ed|ion)|killed|kill(?:s|ing)|stormed|shot dead|gunned down|shot and killed|detonat(?:ed|ing|ion)|improvised explosive devices?|roadside bombs?|land ?mines?|shot down (?:[\w-]+ ){0,3}?(?:drones?|missiles?|rockets?|projectiles?)|artillery (?:fire|rounds|strikes?)|(?:fired|firing) (?:[\w-]+ ){0,3}?(?:rounds|shells) (?:[\w-]+ ){0,3}?(?:at|on|toward|towards|into|targeting)|(?:set|sets|setting) fire to|torched|arson|blew up|(?:was|were|been|being|be|got) blown up|blows up|blowing up|sniper fire|gunfire|(?:summary |mass |public )?executions?|executed|stabb(?:ed|ing)|opened fire|open fire|kidnapp?(?:ed|ing|ings)?|abduct(?:ed|ion|ions|ing)|(?:took|taken|taking) (?:[\w-]+ ){0,3}hostage|hostages? (?:were |was )?taken|bombard(?:ed|ment|ing)|targeted|destroy(?:ed|s|ing)|blew up|shot at|fired (?:on|at|upon)|slaughter(?:ed|ing)?|pounded|pounding|eliminat(?:ed|ing)|(?:burn(?:t|ed)|torched) (?:[\w'’-]+ ){0,6}?(?:houses|homes|shops|vehicles|cars|crops|fields|tents)|(?:drones?|missiles?|rockets?|shells?|mortars?|projectiles?|strikes?|bombs?) (?:[\w-]+ ){0,3}?hit|hit by (?:an? )?(?:[\w-]+ ){0,3}?(?:drones?|missiles?|rockets?|strikes?|bombs?|IEDs?|mortars?|shells?)|(?:rockets?|missiles?|mortars?|mortar (?:rounds|shells)|shells?|projectiles?|drones?|Katyushas?) (?:[\w-]+ ){0,2}?(?:landed|fell|impacted|crashed) (?:on|in|at|near|inside|into)|(?:drones?|missiles?|rockets?|projectiles?|mortars?) (?:were |was |had been |have been )?(?:launched|fired) (?:at|against|toward|towards|on|into)|burn(?:ed|t|ing) (?:[\w-]+ ){0,4}?alive|(?:launch(?:ed|es|ing)?|fir(?:e|ed|es|ing)) (?:a |an |the |\w+ )?(?:[\w-]+ )?(?:(?:waves?|barrages?|salvos?|volleys?|dozens|scores|hundreds|swarms?) of (?:[\w-]+ )?)?(?:rockets?|missiles?|drones?|mortars?|shells?|projectiles?) (?:at|toward|towards|on|into|against)|suicide (?:bombers?|bombings?|attacks?|car bombs?|vests?)|murder(?:ed|s|ing)?|behead(?:ed|ing|ings)?)\b",
        ),
        rule(
            Withdrawal,
            r"(?i)\b(?:withdr(?:aw|aws|ew|awn|awing|awal|awals)|departure of (?:[\w-]+ ){0,2}(?:forces|troops|advisers|fighters|units)|(?:forces|troops|advisers|fighters|units|militias?|convoys?|personnel) (?:[\w-]+ ){0,2}departed|(?:fighters|forces|troops|militants|militias?|members|units) (?:[\w-]+ ){0,2}fled|pull(?:ed|s|ing)? out|pull-?out|pull(?:ed|s|ing)? back|departure from|evacuat(?:ed|ion|ing)|retreat(?:ed|s|ing)?|(?:combat )?mission (?:in [\w’'\s]{1,40})?ended|end(?:ed)? (?:of )?(?:its|their|the) (?:combat |military |advisory )?mission|left (?:[\w-]+ ){0,3}?(?:bases?|installations?|positions?|outposts?|garrisons?)|abandon(?:ed|ing|s)? (?:[\w-]+ ){0,3}?(?:positions?|bases?|territory|posts?|checkpoints?|headquarters|outposts?|the (?:town|city|area|village|airport|base))|(?:cut|cuts|cutting|reduc(?:e|ed|es|ing)|lower(?:ed|s|ing)?) (?:[\w.-]+ ){0,3}?(?:troop (?:levels|numbers|presence)|(?:number of )?(?:its |their |the )?troops)|(?:reductions?|drawdown|draw-?down) (?:of|in) (?:[\w.-]+ ){0,2}(?:troops|forces|personnel))\b|(?-i:\bleft (?:the )?[A-Z])",
        ),
        rule(
            Handover,
            r"(?i)\b(?:hand(?:ed|s|ing)? over|hand(?:ed|s|ing) (?:[\w'’-]+ ){1,8}?over to|ceremon(?:y|ies) (?:[\w'’()–-]+ ){0,10}?(?:to|for|marking|of) (?:the )?(?:transfer|handover|hand-over|hand(?:ing)? over|return)|transferr?(?:ed|ing|s)? (?:the )?(?:[\w'’-]+ ){0,2}?(?:area|section|part|portion|sector)s? of (?:the )?(?:[\w'’-]+ ){0,4}?(?:air ?bases?|bases?|airfields?|airports?|camps?)|transferr?(?:ed|ing|s)? (?:the )?(?:[\w'’-]+ ){0,4}?(?:air ?bases?|bases?|airfields?|airports?|garrisons?|outposts?|headquarters|camps?) (?:[\w'’,-]+ ){0,8}?to|handover|hand-over|(?:surrender(?:ed|s|ing)?|ced(?:e|ed|es|ing)|relinquish(?:ed|es|ing)?) (?:[\w-]+ ){0,2}?control|turned over|capitulat(?:e|ed|es|ing|ion)|transferr?(?:ed|ing)? (?:control|responsibility|command)|takeover|(?:placing|placed|put|brought|returned|passed) (?:[\w-]+ ){0,4}under (?:full |the )?(?:[\w-]+ ){1,4}control|repatriat(?:e|ed|es|ing|ion|ions)|withdr(?:ew|awal|awing|aws|aw|awn) (?:of )?(?:[\w-]+ ){0,4}?(?:families|nationals|citizens|women|children|refugees|returnees|residents|detainees) from|assum(?:e|ed|es|ing) (?:full |complete |total )?(?:security )?(?:control|command|management|administration)|t(?:ook|akes?|aking|aken) over (?:the )?(?:command|security|responsibility)|transfer (?:mission|operation|flights?)|relocat(?:ed|ing|ion of) (?:[\w-]+ ){0,5}?(?:to|into)|(?:transferr?(?:ed|ing)?|transport(?:ed|ing)) (?:[\w'’-]+ ){0,5}?(?:detainees|prisoners|inmates|suspects|families|people|individuals|fighters|operatives|members|women|children|nationals|citizens)|(?:detainees?|prisoners|inmates|families|people|individuals|operatives|members|nationals|citizens|residents|refugees|returnees),? (?:[\w'’-]+,? ){0,6}?(?:were |was |have been |had been )?(?:transferr?ed|handed over|moved|flown|transported|relocated|departed|returned)|(?:families|people|individuals|women|children|nationals|citizens|returnees|detainees) (?:[\w'’,-]+ ){0,6}?(?:arrived|returned) from (?:the )?(?:[\w'’-]+ ){0,3}?camps?|(?:departed|departure from|left) (?:the )?(?:[\w-]+ ){0,3}camp)\b",
        ),
        rule(
            Deployment,
            r"(?i)\b(?:deploy(?:ed|s|ing|ment|ments)?|redeploy\w*|reinforcements?|dispatch(?:ed|es|ing)?|(?:sent|send|sends|sending) (?:[\w,.-]+ ){0,3}(?:troops|forces|reinforcements|units|soldiers|brigades?|battalions?|fighters|tanks|convoys?)|stationed|(?:were|was|are|is|been|remain|remained) (?:still )?positioned|(?:announced|declared|imposed) (?:a |an )?(?:complete |full |total |partial |24-hour )?(?:lockdown|curfew)|(?:lockdown|curfew) (?:[\w-]+ ){0,6}?(?:was|were|has been|had been) (?:announced|declared|imposed)|(?:began|begun|launched|launching|started|starting|beginning|conducted|carried out|mounted|launch of|start of|continued|continues|continuing) (?:a |an |the )?(?:[\w,-]+ ){0,4}(?:operations?|sweeps?|search|clearances?|combing|campaign)(?: operations?)?|set up (?:[\w-]+ ){0,2}?checkpoints|(?:positioning|establishment|emplacement) of (?:[\w-]+ ){0,5}?(?:posts|outposts|bases|checkpoints|troops|forces|batteries)|(?:planes?|aircraft|flights?|helicopters) (?:[\w-]+ ){0,3}?(?:landed|arrived) (?:at|in) [^.;]{0,60}?(?:carrying|transporting|ferrying|with) (?:[\w-]+ ){0,5}?(?:personnel|troops|fighters|soldiers|advis[eo]rs|reinforcements|commanders)|(?:set up|established|establishing|opened) (?:a |an |new |the )?(?:[\w-]+ ){0,2}?(?:bases?|outposts?|headquarters|military posts?)|(?:bases?|outposts?|headquarters) (?:is |are |was |were |has been |have been )?(?:already )?(?:being )?(?:established|set up)|(?:strengthen(?:ed|ing|s)?|beef(?:ed|s|ing)? up|bolster(?:ed|s|ing)?|shor(?:ed|es|ing) up) (?:their|its) (?:defen[cs]es|positions)|convoys? of (?:around |about |some |nearly |at least |more than )?(?:\d+ |dozens of |several )?(?:[\w-]+ )?(?:vehicles|troops|fighters|tanks)|(?:troops|forces|reinforcements|fighters|units) (?:have |had )?arriv(?:e|es|ed)\b|(?:troops|forces|army|fighters|convoys?|units|military vehicles|reinforcements|members) (?:[\w-]+ ){0,4}?(?:entered|entering|crossed into|moved into)|(?:tanks|troops|forces|convoys?|units|columns?|reinforcements|soldiers|vehicles) (?:[\w-]+ ){0,2}?(?:move|moves|moved|moving|head|heads|headed|heading|roll|rolled|rolling) (?:toward|towards|to the outskirts of)|(?:operations?|campaigns?|offensives?|sweeps?) (?:was |were |has been |have been |had been )?(?:launched|started|begun)|mobili[sz](?:ed|ation)|(?:a)?mass(?:ed|ing) (?:troops|forces|fighters)|build-?up of|(?:fully )?secur(?:e|es|ed|ing) (?:the )?(?:[\w-]+ )?(?:borders?|frontier)|(?:strengthen(?:ed|s|ing)?|reinforc(?:ed|es|ing)|fortif(?:y|ied|ies|ying)|tighten(?:ed|s|ing)? (?:security (?:on|along|at) )?|seal(?:ed|s|ing)) (?:of )?(?:the )?(?:[\w-]+ ){0,2}?(?:borders?|frontier|border strip)|fortifications (?:[\w-]+ ){0,3}?(?:initiated|built|completed|erected|set up)|(?:strict|tight|tighter|strengthened|new|additional|security) measures (?:[\w-]+ ){0,2}?(?:on|along|at) (?:the )?(?:[\w-]+ )?(?:borders?|frontier)|(?:battalions?|brigades?|divisions?|regiments?|units|troops|forces|reinforcements|police|army) (?:[\w'’-]+ ){0,6}?(?:arrived (?:in|at)|(?:were |was )?moving into|moved into)|(?:expand(?:ed|ing|s)?|maintain(?:ed|ing|s)?|reinforc(?:ed|ing)) (?:their |its |a )?(?:military )?(?:presence|control)|establish(?:ed|ing|es)? (?:their |its |a )?(?:military )?presence|impos(?:ed|ing) (?:a |an )?(?:[\w-]+ ){0,2}curfew|increas(?:ed|ing) (?:military |combat )?readiness|(?:construct(?:s|ed|ing|ion of)?|buil(?:t|ds|ding)|erect(?:s|ed|ing)?|d(?:ig|igs|ug|igging)|install(?:s|ed|ing)?|complet(?:e|es|ed|ing)) (?:[\w-]+ ){0,5}?(?:fence|wall|trench(?:es)?|barriers?|berms?|towers|watchtowers|cameras|fortifications|earth mounds))\b",
        ),
        // Border barriers told in the passive or as work under way: "the
        // trench was completed on 5 August", "construction proceeds on the
        // wall", "work is proceeding on fortifications" (border security
        // measures, a deployment per the labelling guide).
        rule(
            Deployment,
            r#"(?i)\b(?:(?:fence|wall|trench|barrier|berm|fortifications)(?:es|s)?\b(?:[^.;:]{0,60}?)\b(?:was|were|has been|have been|had been|is being|are being) (?:[\w-]+ )?(?:completed|built|dug|erected|constructed|installed|extended)|(?:construction|work|building) (?:is |are |was |has )?(?:proceed\w*|continu\w*|began|begun|started|resumed|under ?way) (?:[\w\s-]{0,30}?)(?:on |of |to complete )?(?:the |a |an )?(?:[\w"“”-]+ ){0,4}?(?:fence|wall|trench(?:es)?|barriers?|berms?|fortifications))\b"#,
        ),
        // Security sweeps told in the passive or as an activity begun:
        // "sweep and search operations are conducted", "began sweeping the
        // Euphrates neighbourhood", "combing operations continued".
        rule(
            Deployment,
            r"(?i)\b(?:(?:sweep(?:ing)?|search|combing|clearance|clearing|security|cordon)(?: and (?:search|sweep|combing|clearance|clearing))? operations? (?:are|were|is|was|have been|has been|had been) (?:being |still )?(?:conducted|carried out|launched|under ?way|continuing|ongoing|taking place)|(?:began|begun|started|continued|continue|continues|continuing|resumed) (?:sweeping|combing|clearing|searching)\b)",
        ),
        // A tally of incidents: "there were 25 incidents in Diyala", "1
        // incident in Dohuk, 6 in Irbil": each counted incident is violence.
        rule(
            Attack,
            r"(?i)\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozens of) (?:security |violent |armed |terrorist )?incidents?\b(?: (?:recorded|reported|registered|took place|occurred))? (?:in|across) ",
        ),
        // "neutralized 14 PKK terrorists": military wording for fighters
        // killed, captured or made to surrender.
        rule(
            Attack,
            r#"(?i)(?:["“]neutrali[sz](?:e|ed|es|ing)["”]|\bneutrali[sz](?:e|ed|es|ing)\b)(?: (?:at least |some |a total of )?(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|dozens of|several)? ?(?:[\w/-]+ ){0,2}(?:terrorists|militants|fighters|insurgents|members|elements|suspects)\b)"#,
        ),
        // "conducted the second joint patrol in Ras al-Ain": forces sent out
        // over ground they do not fight for (a deployment per the guide).
        // Aircraft on patrol are routine, not a move of forces.
        rule(
            Deployment,
            r"(?i)\b(?:(?:conduct(?:ed|s|ing)?|carr(?:ied|ies|ying) out|held|hold|began|begin|launch(?:ed|es|ing)?|stag(?:ed|es|ing)|resum(?:ed|es|ing)|finish(?:ed|es|ing)|complet(?:ed|es|ing)) (?:a |an |the |their |its )?(?:\d+(?:st|nd|rd|th) )?(?:(?:first|second|third|fourth|fifth|sixth|new|another|joint|ground|military|foot|security|combined|routine|regular|Russian|Turkish|American|US|U\.S\.|coalition)[\w./-]* ){0,3}patrols?|joint (?:military |ground )?patrols?)\b",
        ),
        // "IS suspected of targeting an oil tanker": an attack laid at
        // someone's door.
        rule(
            Attack,
            r"(?i)\b(?:suspected|accused|blamed|responsible) (?:of|for) targeting\b",
        ),
        rule(
            Agreement,
            r#"(?i)\b(?:agreements?|agreed|accords?|pacts?|treaty|treaties|cease-?fires?|truce|memorandum of understanding|deal (?:between|on|to|reached|agreed|brokered|struck)|deal with (?:the )?(?-i:[A-Z])|understanding(?:"|”)? (?:with|between|on|over|reached)|(?:reached|struck|sealed) (?:a |an )?(?:[\w-]+ ){0,2}deal|signed|accession|(?:security|cooperation|bilateral) arrangement|order(?:ed|s)? (?:the |all )?(?:fighting|hostilities|clashes|military operations) to (?:halt|stop|end|cease)|(?:halted|stopped|ended|ceased) (?:the |all )?(?:fighting|hostilities|clashes))\b"#,
        ),
        rule(
            Meeting,
            r"(?i)\b(?:met|meets|meetings?|summit|talks|convened|visit(?:ed|s|ing)?|hosted|delegation|conference|held discussions|summon(?:ed|s|ing)|spoke (?:by phone |by telephone )?(?:with|to)|phone call|telephone call|(?:tele)?phoned|called (?:him|her|them|his (?:[\w-]+ )?counterpart|her (?:[\w-]+ )?counterpart)|has spoken by phone|(?:conducted|made|carried out|paid) (?:an? )?(?:[\w-]+ ){0,2}?(?:inspection|inspection tour|tour)|inspected|toured|(?:officials|ministers|delegations?|sides|leaders|commanders|counterparts) (?:[\w'’,-]+ ){0,6}?discussed|(?:received|receives) (?:on \w+ )?(?:a |an |the )?(?:[\w'’-]+ ){0,4}(?:delegation|envoy|minister|ambassador|commander|advis[eo]r|counterpart|president|speaker))\b",
        ),
        rule(
            Other,
            r"(?i)\b(?:fire broke out|caught fire|blaze|mass graves?|IDPs (?:\([^)]{0,40}\) )?(?:[\w-]+ ){0,3}?(?:arrived|departed|fled|returned)|bod(?:y|ies) (?:of (?:[\w'’-]+ ){1,5}?)?(?:was |were |has been |have been |had been )?(?:found|discovered|recovered|exhumed)|(?:was |were |been )?found dead|(?:parliament|lawmakers|MPs|cabinet|council) (?:[\w-]+ ){0,4}(?:voted|approved|passed|ratified)|displac(?:ed|ement|ing)|(?:residents|civilians|villagers|inhabitants|locals|thousands|hundreds) (?:[\w-]+ ){0,3}?(?:fled|fleeing|have fled|had fled)|(?:were |was |been )?forced to flee|fled (?:their|his|her) homes|protest(?:s|ed|ers|ors)?|demonstrators|demonstrations?|sit-ins?|blocked (?:the |a )?(?:main )?(?:roads?|highway))\b",
        ),
        rule(
            Statement,
            r"(?i)\b(?:claim(?:ed|s|ing)? (?:victory|credit)|(?:issu(?:ed|es|ing)|sign(?:ed|s|ing)|reiterat(?:ed|es|ing)|announc(?:ed|es|ing)) (?:a |an |the |his |her |its )?(?:new |similar |further )?(?:executive |presidential |prime[ -]ministerial |ministerial |government |administrative )?(?:order|decree)s?(?: \d+)?|asked|pressed|demanded|defended|announced|announces|announcement|declared|declares|disavow(?:s|ed)|renounc(?:es|ed)|warned|warns|warning|warnings|claimed|denied|denies|rejected|urged|emphasi[sz](?:ed|ing)|underscored|called for|threatened|pledged|vowed|accus(?:ed|es|ing)|condemn(?:ed|s)|blam(?:ed|es|ing)|insisted|called on|calls on|issued (?:an? )?(?:[\w-]+ ){0,2}ultimatum|ultimatum|issued (?:a |an )?(?:[\w-]+ )?statement|(?:said|says|told (?:[\w-]+ ){1,3}?)(?: on \w+)?(?: that)? (?:[\w'’-]+ ){0,5}?(?:will|would|was ready|is ready|are ready|were ready|was prepared|is prepared|intends|has no intention|had no intention|won't))\b",
        ),
    ]
}

static INFRA_NOUN: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"(?i)\b(?:pipelines?|(?:oil|gas) ?(?:fields?|exports?|flows?)|crude (?:oil )?(?:exports?|flows?|shipments?)|(?:oil |gas )?(?:production|output)|refiner(?:y|ies)|power (?:plants?|stations?|lines?)|electricity (?:supply|grid)|dams?|bridges?|(?:border )?crossings?|water (?:supply|station)|railway|line|highways?|roads?|flights?|flight operations|air traffic|airspace)\b")
        .expect("valid pattern")
});
static INFRA_ACTION: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"(?i)\b(?:shut(?:down| down)?|closed|closure|clos(?:e|es|ing)|re-?open(?:ed|ing|s)?|restart(?:ed|ing|s)?|resum(?:ed|ption|e|es)|reviv(?:e|ed|ing|al)|reactivat(?:e|ed|ion|ing)|halt(?:ed|s)?|back in use|damaged|sabotag\w*|repair(?:ed|s|ing)?|rehabilitat\w*|stopped|suspended|cut off|cut (?:the )?(?:oil |gas )?(?:flow|supply|exports)|crippled|out of service|out of operation|offline|inoperative)\b")
        .expect("valid pattern")
});
static DETENTION_NOUN: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"(?i)\b(?:prisons?|jails?|camps?|detention (?:facilit(?:y|ies)|cent(?:er|re)s?)|detainees|inmates|prisoners|returnees|return convoys?)\b")
        .expect("valid pattern")
});
static DETENTION_ACTION: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"(?i)\b(?:(?:inmates|prisoners|detainees) (?:[\w-]+ ){0,3}?(?:set fire|set ablaze|burn(?:ed|t|ing))|fell|fallen|falls|escap(?:e|ed|es|ing|ees)|break-?out|broke out of|tunnell?ed (?:their way )?out|break-?in|jailbreak|riot(?:s|ing|ed)?|freed|outside (?:the |its )?control|lost control|out of control|(?:seize|seized|took|take|takes|taken|taking|regained|retook|assumed|assume|assumes) (?:full |complete )?control|(?:detainees|prisoners|inmates|suspects|members|families) (?:[\w-]+ ){0,3}?(?:to )?(?:flee|fled|fleeing)|overrun|overran|mutiny|recaptur(?:e|ed|ing) (?:the )?(?:prison|jail|escapees|inmates|fugitives)|\d[\d,]* (?:of them )?(?:were |have been |had been )?recaptured|(?:escapees|fugitives|inmates) (?:were |have been |had been )?recaptured)\b")
        .expect("valid pattern")
});
/// A statement counts only when it is about security.
static SECURITY_TOPIC: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"(?i)\b(?:security|borders?|frontier|forces|troops|military|army|attacks?|assaults?|offensives?|incursions?|invasion|war|victory|truce|deadline|terror\w*|militias?|factions|armed|infiltration|withdraw\w*|coalition|ISIS|Islamic State|weapons|arms|operations?|threats?|ceasefire|clash\w*|prisons?|detainees|drones?|surveillance|smuggling|narcotics|fighters|escalation|fighting|pact|agreement|sovereignty|disarm\w*|defen[cs]e|perpetrators|attackers|strikes?|violence|killings?|bombings?|hostages?|kidnapp\w*|casualties|civilians)\b|\bIS\b")
        .expect("valid pattern")
});
/// ... and when an official or an organisation makes it.
static OFFICIAL: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"(?i)\b(?:minister|ministry|president|prime minister|commander|command|spokes(?:man|woman|person)|officials?|government|committee|general|forces|army|cleric|envoy|secretary|adviser|council|agency|cell|centre|center|directorate|parliament|lawmaker|leader|governor|authorities|police|administration|embassy|ambassador|mission|spokesperson|(?:State|Defen[cs]e|Interior|Foreign) Department)\b|\b(?-i:SDF|PMF|ISF|AANES|KRG|UN|US|U\.S\.|EU|NATO|CENTCOM)\b")
        .expect("valid pattern")
});

/// How many of [`IRREALIS`], from its start, are modal verbs.
const MODALS: usize = 8;

/// Words that make a following trigger unreal: modals, plans, wishes, fears,
/// prevention, conditions, negation. The first [`MODALS`] are the modal
/// verbs.
const IRREALIS: [&str; 81] = [
    "could",
    "would",
    "may",
    "might",
    "should",
    "will",
    "shall",
    "must",
    "can",
    "cannot",
    "won't",
    "wouldn't",
    "plan",
    "plans",
    "planned",
    "planning",
    "expected",
    "expects",
    "expect",
    "intend",
    "intends",
    "intended",
    "aim",
    "aims",
    "seek",
    "seeks",
    "hope",
    "hopes",
    "propose",
    "proposed",
    "possible",
    "potential",
    "imminent",
    "upcoming",
    "future",
    "prospect",
    "prospects",
    "unlikely",
    "scheduled",
    "outlined",
    "need",
    "needs",
    "urge",
    "urged",
    "prevent",
    "preempt",
    "deter",
    "avoid",
    "counter",
    "against",
    "risk",
    "fear",
    "fears",
    "fearing",
    "feared",
    "if",
    "unless",
    "whether",
    "not",
    "never",
    "no",
    "any",
    "rejection",
    "condemnation",
    "condemned",
    "necessitating",
    "necessitate",
    "require",
    "requires",
    "requiring",
    "necessary",
    "repeatedly",
    "routinely",
    "regularly",
    "frequently",
    "often",
    "usually",
    "keep",
    "keeps",
    "study",
    "feasibility",
];

/// People who are not a force: when they leave a place, nobody withdraws.
const CIVILIANS: [&str; 16] = [
    "children",
    "families",
    "households",
    "idps",
    "residents",
    "refugees",
    "civilians",
    "women",
    "nationals",
    "returnees",
    "individuals",
    "people",
    "relatives",
    "orphans",
    "displaced",
    "citizens",
];

/// Adverbs of habit: what follows is a pattern, not one event.
const HABITUAL: [&str; 6] = [
    "repeatedly",
    "routinely",
    "regularly",
    "frequently",
    "often",
    "usually",
];

/// Words that make every trigger after them in the same clause unreal: calls,
/// demands and expectations ("urged the rapid deployment of reinforcements").
/// [`CLAUSE_IRREALIS`] with a space either side, as whole words of a clause.
static CLAUSE_IRREALIS_PADDED: LazyLock<Vec<String>> =
    LazyLock::new(|| CLAUSE_IRREALIS.iter().map(|m| format!(" {m} ")).collect());

const CLAUSE_IRREALIS: [&str; 26] = [
    "called on",
    "calls on",
    "urged",
    "urges",
    "urging",
    "called for",
    "calls for",
    "calling for",
    "demanded",
    "demands",
    "appealed",
    "suggested",
    "recommended",
    "expected to",
    "set to",
    "plans to",
    "planned to",
    "aims to",
    "intends to",
    "hopes to",
    "seeks to",
    "is to",
    "are to",
    "am to",
    "were to",
    "was to",
];

/// Verbs that, followed by "to", make an infinitive trigger unreal ("attempts to seize").
const INTENT: [&str; 44] = [
    // "told the SDF to withdraw", "ordered the troops to pull out": what
    // was demanded, not done.
    "told",
    "tells",
    "telling",
    "ordered",
    "orders",
    "asked",
    "asks",
    "urged",
    "urges",
    "instructed",
    "demanded",
    "demands",
    "pressed",
    "ultimatum",
    "attempt",
    "attempts",
    "attempted",
    "try",
    "tried",
    "trying",
    "bid",
    "effort",
    "efforts",
    "prepared",
    "prepare",
    "prepares",
    "preparing",
    "preparation",
    "preparations",
    "ready",
    "push",
    "pressure",
    "want",
    "wants",
    "threatens",
    "threaten",
    "threatened",
    "vowed",
    "vows",
    "pledged",
    "promised",
    "failed",
    "fail",
    "unable",
];

/// Priority: the first type in this list found in a sentence wins.
const PRIORITY: [EventType; 12] = [
    EventType::DetentionFacility,
    EventType::Seizure,
    EventType::Clash,
    EventType::Attack,
    EventType::Withdrawal,
    EventType::Handover,
    EventType::Deployment,
    EventType::Infrastructure,
    EventType::Agreement,
    EventType::Meeting,
    EventType::Other,
    EventType::Statement,
];

fn is_nominal(word: &str) -> bool {
    let w = word.to_ascii_lowercase();
    !(w.ends_with("ed")
        || w.ends_with("ing")
        || matches!(
            w.as_str(),
            "met" | "fought" | "struck" | "fell" | "withdrew" | "overran" | "took power"
        ))
}

/// Lower-case words of `text` before byte `at`, nearest first, stopping at a
/// clause boundary (; : — or an opening parenthesis): the nearest eight, as
/// many as any test of a trigger's left context looks at.
fn words_before(text: &str, at: usize) -> Vec<Word<'_>> {
    words_before_upto(text, at, 8)
}

/// A word of the text in lower case, borrowed when written so already.
#[derive(Debug, Clone)]
struct Word<'a>(std::borrow::Cow<'a, str>);

impl Word<'_> {
    fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::ops::Deref for Word<'_> {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl PartialEq<str> for Word<'_> {
    fn eq(&self, other: &str) -> bool {
        *self.0 == *other
    }
}

/// [`words_before`], at most `limit` of them.
fn words_before_upto(text: &str, at: usize, limit: usize) -> Vec<Word<'_>> {
    let before = &text[..at];
    let clause_start = before.rfind([';', ':', '—', '(', '“', '"']).map_or(0, |p| {
        p + before[p..].chars().next().map_or(1, char::len_utf8)
    });
    before[clause_start..]
        .rsplit(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '-'))
        .map(|w| w.trim_matches('-'))
        .filter(|w| !w.is_empty())
        .take(limit)
        .map(|w| {
            // "on 2 May": the month, not the modal verb.
            Word(if w.chars().any(char::is_uppercase) && w != "May" {
                std::borrow::Cow::Owned(w.to_lowercase())
            } else {
                std::borrow::Cow::Borrowed(w)
            })
        })
        .collect()
}

/// How far back in its clause a trigger looks for a word that makes it
/// unreal ("called for … attacks"): far enough for any clause of prose,
/// bounded so that a text with no punctuation costs no more per word.
const CLAUSE_WORDS: usize = 60;

/// Whether the trigger at `start..end` reports something that did not (yet)
/// happen: a modal, plan, wish, fear or negation shortly before it, or an
/// infinitive after an intent verb.
pub fn is_irrealis(sentence: &str, start: usize, end: usize) -> bool {
    let word = &sentence[start..end];
    let window = if is_nominal(word) { 4 } else { 5 };
    let before = words_before_upto(sentence, start, CLAUSE_WORDS);
    let clause = before
        .iter()
        .rev()
        .map(Word::as_str)
        .collect::<Vec<_>>()
        .join(" ");
    let clause = format!(" {clause} ");
    if CLAUSE_IRREALIS_PADDED
        .iter()
        .any(|m| clause.contains(m.as_str()))
    {
        return true;
    }
    if before
        .iter()
        .take(window)
        .any(|w| IRREALIS.contains(&w.as_str()) || w.ends_with("n't"))
    {
        return true;
    }
    // "amassing troops for an attack on the oilfields": a purpose; but "in
    // retaliation for a drone strike" answers one that happened.
    let for_at = usize::from(before.first().is_some_and(|w| w != "for"));
    let answered = before.get(for_at + 1).is_some_and(|w| {
        matches!(
            w.as_str(),
            "retaliation" | "revenge" | "reprisal" | "punishment"
        )
    });
    if is_nominal(word)
        && !answered
        && (before.first().is_some_and(|w| w == "for")
            || (before.get(1).is_some_and(|w| w == "for")
                && before
                    .first()
                    .is_some_and(|w| matches!(w.as_str(), "a" | "an" | "new" | "further"))))
    {
        return true;
    }
    // ("told reporters that troops managed to retake it": what was told is
    // past the "that".)
    if before.first().is_some_and(|w| w == "to")
        && before
            .iter()
            .skip(1)
            .take(6)
            .take_while(|w| w.as_str() != "that")
            .any(|w| INTENT.contains(&w.as_str()))
    {
        return true;
    }
    // "will take part in the operation to retake Mosul": an infinitive under
    // a modal of its clause is as unreal as the modal's own verb.
    if before.first().is_some_and(|w| w == "to")
        && before
            .iter()
            .skip(1)
            .take(10)
            .any(|w| IRREALIS[..MODALS].contains(&w.as_str()))
    {
        return true;
    }
    false
}

/// Every trigger in the sentence that reports a real event, by type. Statement
/// triggers count only with a security topic and an official speaker;
/// infrastructure needs a facility and an action; detention needs a camp or
/// prison and something happening to it.
pub fn find_triggers(sentence: &str, has_actor: bool) -> Vec<Trigger> {
    triggers_of(sentence, has_actor, false)
}

/// The events a condemnation names ("condemned the suicide attacks that
/// took place around Baghdad"), which `find_triggers` leaves out as told
/// before. A text that has not told them reports them by condemning them:
/// condemning an attack says it happened.
/// `usual` is what `find_triggers` found in the sentence.
pub fn condemned_events(sentence: &str, has_actor: bool, usual: &[Trigger]) -> Vec<Trigger> {
    if !sentence
        .as_bytes()
        .windows(7)
        .any(|w| w.eq_ignore_ascii_case(b"condemn"))
    {
        return Vec::new();
    }
    triggers_of(sentence, has_actor, true)
        .into_iter()
        .filter(|t| {
            t.event_type != EventType::Statement
                && !usual
                    .iter()
                    .any(|u| u.start == t.start && u.event_type == t.event_type)
        })
        .collect()
}

fn triggers_of(sentence: &str, has_actor: bool, keep_condemned: bool) -> Vec<Trigger> {
    let mut out = Vec::new();
    // Condemning an event says it happened: the word that makes an event
    // unreal (as "condemned" does a wish) is read as a neutral one of the
    // same length, so spans stay put.
    let neutral;
    let unreal_in = if keep_condemned {
        neutral = sentence
            .replace("condemnation", "announcement")
            .replace("condemned", "mentioned")
            .replace("Condemned", "Mentioned");
        neutral.as_str()
    } else {
        sentence
    };
    let actor_spans: Vec<(usize, usize)> = super::actors::find_actors(sentence)
        .iter()
        .map(|a| (a.start, a.end))
        .collect();
    for r in RULES.iter() {
        for m in r.re.find_iter(sentence) {
            // Part of a name ("Popular Mobilization Forces") or of a compound
            // ("hard-fought"), or an adjective ("the attacking factions").
            // An actor named by its weapons ("Coalition airstrikes hit …")
            // still tells the strike.
            if actor_spans.iter().any(|(s, e)| {
                *s <= m.start()
                    && m.end() <= *e
                    && !(r.event_type == EventType::Attack && m.end() == *e && *s < m.start())
            }) || sentence[..m.start()].ends_with('-')
                || sentence[m.end()..].starts_with('-')
                || is_adjectival(sentence, m.end(), m.as_str())
            {
                continue;
            }
            let (mut s, e) = (m.start(), m.end());
            // "left X" patterns end on the capital letter: trim to "left".
            let text = m.as_str();
            // "forces reportedly have not yet entered": a negation inside a
            // trigger of several words is as unreal as one before it.
            if text.contains(' ')
                && text.split_whitespace().any(|w| {
                    matches!(w.to_ascii_lowercase().as_str(), "not" | "never" | "no")
                        || w.ends_with("n't")
                        || w.ends_with("n’t")
                })
            {
                continue;
            }
            let e = if r.event_type == EventType::Withdrawal && text.starts_with("left") {
                s + 4
            } else {
                e
            };
            if text.starts_with(|c: char| c.is_whitespace()) {
                s += text.len() - text.trim_start().len();
            }
            // "summoned the ambassador to protest …", "in protest at …": why
            // something else was done.
            if text.to_ascii_lowercase().starts_with("protest")
                && words_before(sentence, s)
                    .first()
                    .is_some_and(|w| w == "to" || w == "in")
            {
                continue;
            }
            // "retreat from captured territories", "guarded captured ISIS
            // fighters": a participle after an article, a preposition or a
            // verb of holding says which land or people, not that they were
            // taken.
            if is_participle_modifier(sentence, s, text) {
                continue;
            }
            // "the territory it has seized": a relative clause that says
            // which land, not news; "after ten months of fighting": how long
            // the event told took.
            if HELD_LAND_BEFORE.is_match(&sentence[..s])
                || DURATION_OF_BEFORE.is_match(&sentence[..s])
            {
                continue;
            }
            // "seized the opportunity", "captured the attention of": what is
            // taken is no thing, person or place.
            if FIGURATIVE_OBJECT.is_match(&sentence[e..])
                && text.get(..4).is_some_and(|w| {
                    ["seiz", "capt", "grab"]
                        .iter()
                        .any(|p| w.eq_ignore_ascii_case(p))
                })
            {
                continue;
            }
            // "a mean of 60-70 attacks per week": a rate, not an event.
            if RATE_AFTER.is_match(&sentence[e..]) {
                continue;
            }
            // "signed executive order 1388": an order is a policy announced,
            // not an accord between parties.
            if r.event_type == EventType::Agreement
                && text.eq_ignore_ascii_case("signed")
                && ORDER_AFTER.is_match(&sentence[e..])
            {
                continue;
            }
            // "the Free Syrian Army": a capitalised "Free" begins a name.
            if text.starts_with("Free ") && text[5..].starts_with(char::is_uppercase) {
                continue;
            }
            // "the first offensive military action", "offensive weapons": the
            // adjective names a kind of act or arm, not a campaign.
            if text.eq_ignore_ascii_case("offensive")
                && OFFENSIVE_KIND_AFTER.is_match(&sentence[e..])
            {
                continue;
            }
            // "measures taken over the past year": a span of time, not a
            // takeover.
            if text.to_ascii_lowercase().ends_with(" over")
                && SPAN_OF_TIME_AFTER.is_match(&sentence[e..])
            {
                continue;
            }
            // "executed this exceptionally challenging mission": carried out.
            if text.eq_ignore_ascii_case("executed") && EXECUTED_TASK.is_match(&sentence[e..]) {
                continue;
            }
            // "to ensure their successful execution", "the execution of the
            // plan": a task carried out, not a killing.
            if text.eq_ignore_ascii_case("execution")
                && (CARRIED_OUT_BEFORE.is_match(&sentence[..s])
                    || EXECUTION_OF_TASK.is_match(&sentence[e..]))
            {
                continue;
            }
            // "The city is claimed by both Baghdad and Erbil": a claim to land,
            // not a statement made.
            if text.eq_ignore_ascii_case("claimed") && CLAIMED_BY.is_match(&sentence[e..]) {
                continue;
            }
            // "“Facilitating the orderly transfer of detainees is critical …”":
            // a quoted opinion names what it speaks of; it reports nothing.
            // "“we have transferred four bases to …”" is told by its verb.
            let first_word = text.split_whitespace().next().unwrap_or(text);
            if opens_in_quotes(sentence, s)
                && !is_finite_verb(text)
                && !is_finite_verb(first_word)
                && !OCCURRED_AFTER.is_match(&sentence[e..])
            {
                continue;
            }
            // "the discovery of 12 roadside bombs", "men emplacing an IED":
            // explosives found, cleared or being planted did not go off.
            if r.event_type == EventType::Attack && is_unexploded(sentence, s, text) {
                continue;
            }
            // "before the Dec. 31 pullout deadline": a date set for an event
            // is a plan.
            if PLAN_NOUN_AFTER.is_match(&sentence[e..]) && is_nominal(text) {
                continue;
            }
            // "the main evacuation route": a noun used as a modifier.
            if text.eq_ignore_ascii_case("evacuation")
                && sentence[e..]
                    .trim_start()
                    .split(|c: char| !c.is_alphanumeric())
                    .next()
                    .is_some_and(|w| {
                        matches!(
                            w.to_ascii_lowercase().as_str(),
                            "route"
                                | "routes"
                                | "corridor"
                                | "corridors"
                                | "plan"
                                | "plans"
                                | "centre"
                                | "center"
                        )
                    })
            {
                continue;
            }
            // "Sadr says he withdraws from politics": a party or a person
            // leaving a race, a government or talks moves no forces.
            if r.event_type == EventType::Withdrawal
                && (POLITICAL_EXIT.is_match(&sentence[e..])
                    || WITHDRAWN_PAPER.is_match(&sentence[..s]))
            {
                continue;
            }
            let mut event_type = r.event_type;
            if event_type == EventType::Handover
                && text.eq_ignore_ascii_case("takeover")
                && !mentions_site(sentence)
            {
                event_type = EventType::Clash;
            }
            // "surrendered control of the towns to ISIS": a handover.
            if text.to_ascii_lowercase().starts_with("surrender")
                && SURRENDERED_CONTROL.is_match(&sentence[e..])
            {
                continue;
            }
            // "thousands of its fighters had been held since 2019": people
            // held are prisoners, not a town held by force.
            if text.to_ascii_lowercase().contains("been held")
                && HELD_PEOPLE.is_match(&sentence[..s])
            {
                continue;
            }
            if event_type == EventType::Seizure && !ARREST.is_match(text) {
                event_type = capture_type(sentence, s, e);
            }
            if event_type == EventType::Statement {
                let before = words_before(sentence, s);
                if !(SECURITY_TOPIC.is_match(sentence)
                    && (has_actor || OFFICIAL.is_match(sentence)))
                    || before
                        .iter()
                        .take(3)
                        .any(|w| HABITUAL.contains(&w.as_str()))
                    || before.iter().take(3).any(|w| {
                        matches!(w.as_str(), "no" | "not" | "never" | "nobody")
                            || w.ends_with("n't")
                    })
                    || unofficial_speaker(&before, &sentence[e..])
                {
                    continue;
                }
            } else if is_irrealis(unreal_in, s, e)
                || (event_type == EventType::Deployment && is_state_participle(sentence, s, text))
                || (event_type == EventType::Clash && is_attributive_siege(sentence, s, e))
                || (event_type == EventType::Meeting && is_passive_met(sentence, s, e))
                || (event_type == EventType::Attack && is_trend(sentence, s))
            {
                continue;
            }
            out.push(Trigger {
                event_type,
                start: s,
                end: e,
            });
        }
    }
    if INFRA_NOUN.is_match(sentence) {
        for m in INFRA_ACTION.find_iter(sentence) {
            if !is_irrealis(sentence, m.start(), m.end()) {
                out.push(Trigger {
                    event_type: EventType::Infrastructure,
                    start: m.start(),
                    end: m.end(),
                });
            }
        }
    }
    if DETENTION_NOUN.is_match(sentence) {
        for m in DETENTION_ACTION.find_iter(sentence) {
            if !is_irrealis(sentence, m.start(), m.end()) {
                out.push(Trigger {
                    event_type: EventType::DetentionFacility,
                    start: m.start(),
                    end: m.end(),
                });
            }
        }
    }
    // "the withdrawal of hundreds of families from al-Hol": people taken
    // out of a camp are handed over, not forces leaving.
    let handovers: Vec<(usize, usize)> = out
        .iter()
        .filter(|t| t.event_type == EventType::Handover)
        .map(|t| (t.start, t.end))
        .collect();
    out.retain(|t| {
        t.event_type != EventType::Withdrawal
            || !handovers.iter().any(|&(s, e)| s <= t.start && t.end <= e)
    });
    // "a deadly fire killed more than 90 people": deaths in an accident are
    // not violence.
    for t in &mut out {
        if t.event_type == EventType::Attack
            && is_casualty_word(&sentence[t.start..t.end])
            && ACCIDENT_AGENT.is_match(&sentence[..t.start])
        {
            t.event_type = EventType::Other;
        }
    }
    // "imposed a curfew … because of constant shelling": the cause is told
    // to explain the event the sentence reports.
    if let Some(m) = CAUSE.find(sentence)
        && out
            .iter()
            .any(|t| t.end <= m.start() && t.event_type != EventType::Statement)
    {
        out.retain(|t| t.start < m.start());
    }
    // "with the intensification of the armed clashes, SDF fighters had
    // withdrawn": the circumstance, told to set the scene of the event the
    // main clause reports, which is the news.
    for m in CIRCUMSTANCE.find_iter(sentence) {
        let inside = |t: &Trigger| {
            t.start >= m.end()
                && t.start - m.end() <= 40
                && !sentence[m.end()..t.start].contains([',', ';'])
        };
        if out
            .iter()
            .any(|t| t.start > m.end() && !inside(t) && t.event_type != EventType::Statement)
        {
            out.retain(|t| !inside(t));
        }
    }
    // "The last military escalation led to a US strike …": a rise in
    // violence summed up in a word is told by the events the sentence names.
    if out.iter().any(|t| {
        matches!(t.event_type, EventType::Attack | EventType::Clash)
            && !sentence[t.start..t.end].ends_with("escalation")
    }) {
        out.retain(|t| !sentence[t.start..t.end].ends_with("escalation"));
    }
    reinterpret(sentence, &mut out, keep_condemned);
    out.sort_by_key(|t| t.start);
    out
}

static CIRCUMSTANCE: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"(?i)\b(?:with|amid|amidst|during|as|given) (?:the |an? )?(?:[\w-]+ )?(?:intensification|escalation|increase|continuation|outbreak|spread|renewal|resumption|wave|height) of\b")
        .expect("valid pattern")
});

static CAUSE: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"(?i)\b(?:because of|due to|owing to|for fear of)\b")
        .expect("valid pattern")
});

static PLAN_NOUN_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(
        r"(?i)^\s+(?:deadlines?|timetables?|timelines?|schedules?|plans?|dates?)\b",
    )
    .expect("valid pattern")
});
static PLACE_SUBJECT: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"(?i)^\s*(?:it|(?:the|this|that) (?:city|town|village|area|district|region|province|crossing|base|airport|border town))\s+(?:was|were|has been|had been)\s*$")
        .expect("valid pattern")
});
static POLITICAL_EXIT: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"(?i)^\s+(?:his |her |its |their )?(?:candidacy|nomination|support|bid)\b|^\s+from (?:the )?(?:[\w-]+ )?(?:politics|political (?:life|process)|elections?|race|vote|ballot|polls|government|cabinet|parliament|talks|negotiations|agreement|deal|treaty|accord|bloc|alliance|coalition government|competition|tournament)\b")
        .expect("valid pattern")
});
/// "the lawsuit had been withdrawn", "the charges were withdrawn": papers
/// and claims taken back, not forces.
static WITHDRAWN_PAPER: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"(?i)\b(?:lawsuits?|suits?|complaints?|charges?|cases?|bills?|requests?|applications?|nominations?|candidac(?:y|ies)|offers?|licen[cs]es?|permits?|accreditations?|visas?|funding|draft|resolution|motion|objections?|appeals?)\s+(?:(?:has|have|had|was|were|is|are|being|been|later|then|also|subsequently)\s+){0,3}$")
        .expect("valid pattern")
});
/// An accident as the subject right before a verb of killing.
static ACCIDENT_AGENT: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"(?i)\b(?:fires?|blazes?|accidents?|crash(?:es)?|collisions?|floods?|flooding|earthquakes?|collapses?|stampedes?|storms?|heatwaves?)\s+(?:(?:that|which|has|have|had)\s+)?$")
        .expect("valid pattern")
});

/// Fighters as the ones killed: "35 militants were killed", "killed three
/// insurgents", "killed five suspected Islamic State group fighters".
static FIGHTERS_KILLED: LazyLock<Regex> = LazyLock::new(|| {
    let fighters = r"(?:militants|fighters|insurgents|jihadists|terrorists|extremists|rebels|(?:IS|ISIS|ISIL|Daesh|al-Qaeda|group) (?:members|elements))";
    crate::pattern::compile(&format!(
        r#"(?i)\b{fighters}["”’]?\s+(?:were|have been|had been|was|are)\s+(?:reportedly\s+)?killed\b|\bkill(?:ed|ing|s)?\s+(?:at least\s+|some\s+|about\s+|up to\s+)?(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|dozens of|scores of|several|many)?\s*(?:[\w"“”'’-]+\s+){{0,4}}?["“]?{fighters}\b"#
    ))
    .expect("valid pattern")
});

/// Words that name how people were killed, other than in fighting.
static MEANS_OF_ATTACK: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"(?i)\b(?:suicide|bombers?|bombs?|bombings?|IEDs?|blasts?|explosions?|explosives?|air ?strikes?|strikes?|drones?|shell(?:s|ing|ed)|rockets?|mortars?|missiles?|artillery|executed|executions?|beheaded|ambush(?:ed)?)\b")
        .expect("valid pattern")
});

static ASSAULT_ON_TOWN: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"^\s+(?:[\w,-]+\s+){0,3}?(?:(?:on|against|into)\s+)?(?:the\s+)?(?:(?:[\w-]+\s+){0,2}(?:cit(?:y|ies)|towns?|villages?|districts?|neighbou?rhoods?)\b|(?-i:[A-Z])[\w'’-]+(?:\s+(?-i:[A-Z])[\w'’-]+)?\s*(?:[,.;]|$|\s+(?:where|from|in|on|and)\b))")
        .expect("valid pattern")
});

static ANNOUNCED_OUTCOME: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"^(?:liberation|liberated|victory|defeat|defeated|territorial defeat|fall of .*|recapture|retaken|regained)$")
        .expect("valid pattern")
});

/// "the liberation of Tikrit", "the recapture of the town of Hit": an
/// outcome with the one place it was won at.
static OUTCOME_PLACE: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r#"^["”’']?\s+of\s+(?:the\s+)?(?:(?:city|town|village|district)\s+of\s+)?(?:(?-i:[A-Z])[\w'’-]+\s+){0,2}(?-i:[A-Z])[\w'’-]+(?P<next>\s+[\w-]+)?"#)
        .expect("valid pattern")
});

/// Whether an announced outcome is told of one named place ("announces the
/// liberation of Tikrit"): then it is the fighting for that place, not a
/// declaration over a whole country ("announced the liberation of Iraqi
/// lands").
fn names_a_town_after(after: &str) -> bool {
    OUTCOME_PLACE.captures(after).is_some_and(|c| {
        !c.name("next").is_some_and(|n| {
            matches!(
                n.as_str().trim().to_ascii_lowercase().as_str(),
                "lands"
                    | "land"
                    | "soil"
                    | "territory"
                    | "territories"
                    | "areas"
                    | "cities"
                    | "people"
            )
        })
    })
}

/// An abstract object after a capture word: "the opportunity", "the
/// initiative", "the attention of".
static FIGURATIVE_OBJECT: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"(?i)^\s+(?:on\s+|upon\s+)?(?:the|this|that|an?|every|its|their)\s+(?:[\w-]+\s+)?(?:opportunit(?:y|ies)|chances?|moment|initiative|momentum|occasion|attention|imagination|headlines|spotlight|limelight|mood|day)\b")
        .expect("valid pattern")
});
/// Words before an attack that say it was fought off: "repelled a", "foiled
/// this morning a ground", "thwarted an infiltration".
static FOUGHT_OFF_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"(?i)\b(?:repel(?:led|s|ling)?|repuls(?:ed|es|ing)|fend(?:ed|s|ing)? off|be(?:at|aten|ating) back|foil(?:ed|s|ing)|thwart(?:ed|s|ing))\s+(?:(?:this|on|in the|early|late|overnight)\s+(?:morning|evening|night|afternoon|\w+day)\s+)?(?:a|an|the|several|two|three|multiple|repeated)\s+(?:[\w-]+\s+){0,2}?(?:(?:ground|infiltration|armed|land|large-scale|massive|major)\s+)?$")
        .expect("valid pattern")
});
/// What follows "signed" when a leader signs an order: "executive order 1388", "a decree".
static ORDER_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"(?i)^\s+(?:a\s+|an\s+|the\s+)?(?:new\s+)?(?:executive\s+|presidential\s+|prime[ -]ministerial\s+|ministerial\s+|government\s+|administrative\s+)?(?:orders?|decrees?)\b")
        .expect("valid pattern")
});
/// A noun after "offensive" used as an adjective: "military action", "weapons".
static OFFENSIVE_KIND_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"(?i)^\s+(?:military\s+)?(?:actions?|weapons|arms|capabilit(?:y|ies)|posture|cyber\w*|drones?|missiles?|systems?|equipment)\b")
        .expect("valid pattern")
});
/// A span of time after "over": "the past year", "the last two months".
static SPAN_OF_TIME_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"(?i)^\s+(?:the\s+)?(?:past|last|next|previous|coming|course\s+of|(?:\d+|two|three|four|five|six|several|many)\s+(?:days|weeks|months|years))\b")
        .expect("valid pattern")
});
static RATE_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"(?i)^\s+(?:per|a|each|every)\s+(?:day|week|month|year)\b")
        .expect("valid pattern")
});

static HELD_LAND_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"(?i)\b(?:territory|territories|areas|lands?|towns|cities|regions|swathes)\s+(?:that\s+|which\s+)?(?:it|they|the group|the militants|the jihadists)\s+(?:has|had|have)\s+(?:since\s+|already\s+)?$")
        .expect("valid pattern")
});
static DURATION_OF_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"(?i)\b(?:after|following|despite|during)\s+(?:more than\s+|nearly\s+|almost\s+|about\s+|over\s+)?(?:(?:\d+|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|many)(?:\s+[\d/½]+)?\s+)?(?:days|weeks|months|years)\s+of\s+(?:(?:heavy|fierce|intense|street|urban)\s+)?$")
        .expect("valid pattern")
});
static CARRIED_OUT_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"(?i)\b(?:successful|smooth|flawless|proper|careful|swift|effective|efficient|timely|its|their|our|his|her)\s+$")
        .expect("valid pattern")
});
static EXECUTION_OF_TASK: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"(?i)^\s+of\s+(?:the|this|that|a|an|its|their|our)\s+(?:[\w-]+\s+){0,3}?(?:plans?|missions?|operations?|orders?|tasks?|projects?|agreements?|deals?|strateg(?:y|ies)|policy|policies|budget|contracts?)\b")
        .expect("valid pattern")
});
static CLAIMED_BY: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"(?i)^\s+by\s+(?:both|each)\b").expect("valid pattern")
});
static EXECUTED_TASK: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"(?i)^\s+(?:the|this|that|a|an|its|their|our)\s+(?:[\w-]+\s+){0,3}?(?:missions?|operations?|plans?|orders?|tasks?|strikes?|raids?)\b")
        .expect("valid pattern")
});

/// Whether the sentence opens with a quotation mark that is still open at
/// byte `at`.
fn opens_in_quotes(sentence: &str, at: usize) -> bool {
    let head = sentence.trim_start();
    if !head.starts_with(['“', '"']) {
        return false;
    }
    let offset = sentence.len() - head.len();
    let open = offset + head.chars().next().map_or(1, char::len_utf8);
    sentence
        .get(open..at)
        .is_some_and(|inside| !inside.contains(['”', '"']))
}

/// A verb saying the event named before it happened: "clashes erupted",
/// "the blast killed", "an attack took place" (so a quoted event noun
/// reports the event).
static OCCURRED_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"(?i)^\s+(?:(?:had|have|has|then|later|also|again|suddenly|soon)\s+)?(?:erupted|broke out|took place|occurred|happened|began|started|raged|continued|killed|wounded|injured|hit|struck|targeted|destroyed|damaged|left \w+ (?:dead|killed|wounded|injured))\b")
        .expect("valid pattern")
});

/// A verb in a finite past form ("arrested", "struck"), not a noun or a
/// gerund ("transfer", "transferring").
fn is_finite_verb(word: &str) -> bool {
    let w = word.to_ascii_lowercase();
    !w.ends_with("ing") && !is_nominal(&w)
}

static SURRENDERED_CONTROL: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"(?i)^\s+(?:[\w-]+\s+){0,2}?control\b").expect("valid pattern")
});

static ARREST: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"(?i)^(?:arrest|detain|apprehen|rounded|nabbed|intercept|surrender|foiled|thwarted|confiscat|discover|uncover|unearth|found|find|hide|cache|tunnel|warehouse|depot|stockpile|arsenal|weapons|ammunition|explosives|arms|drugs|captagon|missiles|rockets)")
        .expect("valid pattern")
});
/// Goods that are seized rather than fought over.
static GOODS: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"(?i)\b(?:drugs?|captagon|pills|tablets|hashish|narcotics?|cocaine|heroin|crystal meth|methamphetamine|cannabis|marijuana|weapons?|arms|ammunition|munitions|rifles|guns|rockets|missiles|explosives?|IEDs?|mines|cash|money|dollars|currency|gold|vehicles?|trucks?|cars?|motorcycles?|boats?|tankers?|fuel|diesel|petrol|gasoline|shipments?|cargo|consignments?|contraband|smuggled|tons?|tonnes?|kilograms?|kilos?|kg|grams?|caches?|stockpiles?|depots?|equipment|documents|laptops|phones|livestock|sheep|cigarettes|tanks?|technicals?|armou?red vehicles|humvees?|mortars?|launchers?)\b")
        .expect("valid pattern")
});
/// People just before "had been held": prisoners, detainees, hostages.
static HELD_PEOPLE: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"(?i)\b(?:fighters|detainees|prisoners|inmates|members|militants|suspects|people|hostages|men|women|children|families|individuals|him|her|them|who|whom)\s+(?:[\w'’-]+\s+){0,2}$")
        .expect("valid pattern")
});

/// People taken: "captured two militants", "captured another".
static PEOPLE: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r#"(?i)^\s*(?:(?:an?|the|one|two|three|four|five|six|seven|eight|nine|ten|dozens of|scores of|several|some|many|more than|at least|about|around|nearly|over|another|other|\d[\d,]*|[\w-]+-ranking|senior|top|local|foreign|suspected|alleged|wanted)\s+)*(?:[\w'’"“”-]+\s+){0,3}?["“”]?(?:another|others|suspects?|militants?|fighters?|members?|operatives?|terrorists?|jihadists?|insurgents?|men|women|people|persons|individuals|smugglers?|traffickers?|dealers?|leaders?|commanders?|emirs?|officials?|officers?|soldiers|servicemen|troops|gunmen|attackers|infiltrators|cells?|him|her|them)\b"#)
        .expect("valid pattern")
});

static PRONOUN_OBJECT: LazyLock<Regex> =
    LazyLock::new(|| crate::pattern::compile(r"(?i)^\s*(?:them|it)\b").expect("valid pattern"));
static PLACE_NOUN: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"(?i)\b(?:cities|towns|villages|areas|city|town|village|districts?|provinces?|neighbou?rhoods?|bases?|territory|territories)\b")
        .expect("valid pattern")
});
static PEOPLE_NOUN: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"(?i)\b(?:suspects?|militants|fighters|members|operatives|smugglers|traffickers|leaders|commanders|soldiers|men|women|people|gunmen|terrorists|ringleaders?|masterminds?|perpetrators)\b")
        .expect("valid pattern")
});

static BARE_COUNT: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"(?i)^\s*(?:more than |at least |some |about |nearly |over )?\d[\d,]*\s+(?:during|in|on|at|near|from|after|while|and|since|over|across)\b")
        .expect("valid pattern")
});

static PERSON_NAME: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"^\s*(?:[A-Z][a-z]+\s+){2,3}(?:al-|bin |ibn )").expect("valid pattern")
});

/// Words that make an explosive named after them a find, not a blast.
static FOUND_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"(?i)\b(?:discover\w*|found|find(?:s|ing)?|uncover\w*|unearth\w*|seiz\w*|confiscat\w*|cach(?:e|es)|clear(?:ed|ing|ance)?|dismantl\w*|defus\w*|disarm\w*|defuse|emplac\w*|plant(?:ed|ing)?|laying|lay|recover\w*|stockpiles? of|storage of|making|made|manufactur\w*|components? for)\b(?:\s+[\w,()-]+){0,10}\s*$")
        .expect("valid pattern")
});

static EXPLOSIVES: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(
        r"(?i)\b(?:explosives|IEDs|devices|caches|mines|ordnance|munitions|ammunition|weapons)\b",
    )
    .expect("valid pattern")
});

/// An explosive that did not go off: "found three IEDs", "men emplacing a
/// bomb", "cleared of mines"; and "air assault", a way to insert troops.
fn is_unexploded(sentence: &str, start: usize, word: &str) -> bool {
    let lower = word.to_ascii_lowercase();
    if lower.starts_with("assault") && sentence[..start].to_ascii_lowercase().ends_with("air ") {
        return true;
    }
    // "all of the explosives were either marked or destroyed".
    if lower == "destroyed" {
        let from = sentence.ceil_char_boundary(start.saturating_sub(60));
        return EXPLOSIVES.is_match(&sentence[from..start]);
    }
    let explosive = lower.starts_with("bomb")
        || lower.starts_with("ied")
        || lower.starts_with("improvised")
        || lower.starts_with("roadside")
        || lower.starts_with("land")
        || lower == "car bomb";
    if !explosive || lower.ends_with("ed") || lower.ends_with("ing") && lower != "bombing" {
        return false;
    }
    let from = sentence.ceil_char_boundary(start.saturating_sub(90));
    FOUND_BEFORE.is_match(&sentence[from..start])
}

/// What a capture word reports: goods or people taken are a seizure; a town,
/// area or site taken (the default) is fighting, a clash.
fn capture_type(sentence: &str, start: usize, end: usize) -> EventType {
    let word = sentence[start..end].to_ascii_lowercase();
    // "confiscated", "recovered a launcher": goods named in the trigger.
    if word.starts_with("confiscat") || word.starts_with("recover") && GOODS.is_match(&word) {
        return EventType::Seizure;
    }
    // The object: the words after the trigger up to the next clause mark.
    let after = &sentence[end..];
    // The first clause mark that is not inside a number ("40,000 pills").
    let object_end = after
        .char_indices()
        .find(|&(i, c)| {
            matches!(c, ',' | ';' | '.' | '(' | '—')
                && !(matches!(c, ',' | '.')
                    && after[..i].ends_with(|d: char| d.is_ascii_digit())
                    && after[i + 1..].starts_with(|d: char| d.is_ascii_digit()))
        })
        .map_or(after.len(), |(i, _)| i)
        .min(90);
    let object_end = (0..=object_end)
        .rev()
        .find(|i| after.is_char_boundary(*i))
        .unwrap_or(0);
    let object = &after[..object_end];
    // "seized by jihadists in 2014": the words after are the agent; what was
    // taken is the subject.
    let agent = object.trim_start().starts_with("by ");
    // Passive: "drugs were seized", "three suspects were captured".
    let before = &sentence[..start];
    let subject_start = before
        .rfind([',', ';', '.', '(', '—'])
        .map_or(0, |p| p + 1)
        .max(before.len().saturating_sub(70));
    let subject_start = (subject_start..=before.len())
        .find(|i| before.is_char_boundary(*i))
        .unwrap_or(before.len());
    let subject = &before[subject_start..];
    // "have been also captured", "were later seized": an adverb between.
    let auxiliary = {
        let t = subject.trim_end();
        let last = t.rsplit(' ').next().unwrap_or("");
        if matches!(
            last.to_ascii_lowercase().as_str(),
            "also" | "later" | "then" | "subsequently" | "reportedly" | "all" | "each" | "both"
        ) {
            t[..t.len() - last.len()].trim_end()
        } else {
            t
        }
    };
    let passive =
        auxiliary.ends_with(" were") || auxiliary.ends_with(" was") || auxiliary.ends_with(" been");
    // "dislodged militants from the village", "expelled the group from":
    // people driven out of a place is the place taken, not people held.
    let drives_out = [
        "dislodg", "drove ", "driven ", "driving ", "pushed ", "expel", "ousted ",
    ]
    .iter()
    .any(|p| word.starts_with(p));
    let takes_control = drives_out
        || word.contains("control")
        || word.split_whitespace().any(|w| w == "over")
        || word.starts_with("fell ");
    // "captured Osama Owayed al-Saleh": a person by name.
    // "captured 58 during an operation": a bare count is of people.
    let person = PERSON_NAME.is_match(object) || BARE_COUNT.is_match(object);
    // "the biggest cities … after recapturing them": a pronoun stands for
    // the places the sentence names, not for people.
    if PRONOUN_OBJECT.is_match(object)
        && PLACE_NOUN.is_match(sentence)
        && !PEOPLE_NOUN.is_match(sentence)
    {
        return EventType::Clash;
    }
    // "It was liberated from the group in 2017", "the town was retaken":
    // a place taken, not people held.
    if passive && PLACE_SUBJECT.is_match(subject) {
        return EventType::Clash;
    }
    let passive = passive || agent;
    if !takes_control
        && ((!agent && (GOODS.is_match(object) || PEOPLE.is_match(object) || person))
            || (passive
                && (GOODS.is_match(subject)
                    || PEOPLE.is_match(subject.trim_start())
                    || PEOPLE_NOUN.is_match(subject))))
    {
        EventType::Seizure
    } else {
        EventType::Clash
    }
}

/// What says control passed without fighting, later in the clause of a
/// capture: "after coordination with", "under an agreement with", "without
/// a fight", "peacefully".
static BY_ARRANGEMENT_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"(?i)^[^;.!?]{0,120}?\b(?:(?:after|in|following|through)\s+(?:close\s+|full\s+|prior\s+)?coordination\s+with|under\s+(?:an?|the)\s+(?:\w+\s+)?(?:agreement|deal|arrangement|understanding)|without\s+(?:a\s+fight|any\s+fighting|fighting|clashes|resistance|any\s+resistance|a\s+shot)|peacefully)\b")
        .expect("valid pattern")
});

/// Triggers whose meaning depends on the others in the sentence: a raid in
/// which people were arrested (and nobody killed) is an arrest; forces taking
/// over a base that others withdrew from, or taking over posts under an
/// agreement, is a handover, not a seizure.
fn reinterpret(sentence: &str, triggers: &mut Vec<Trigger>, keep_condemned: bool) {
    let word = |t: &Trigger| sentence[t.start..t.end].to_ascii_lowercase();
    // "Abadi announced full liberation of Iraqi lands", "declared the defeat
    // of the group": the announcement is the news, not a capture told again.
    let announcements: Vec<Trigger> = triggers
        .iter()
        .filter(|t| t.event_type == EventType::Statement)
        .filter(|t| {
            let w = word(t);
            ["announc", "declar", "proclaim"]
                .iter()
                .any(|p| w.starts_with(p))
        })
        .copied()
        .collect();
    triggers.retain(|t| {
        !(matches!(t.event_type, EventType::Clash | EventType::Seizure)
            && ANNOUNCED_OUTCOME.is_match(&word(t))
            && !names_a_town_after(&sentence[t.end..])
            && announcements.iter().any(|a| {
                a.end <= t.start
                    && t.start - a.end <= 40
                    && !sentence[a.end..t.start].contains([',', ';'])
            }))
    });
    // "launched an assault Sunday on Tal Afar", "is attacking several small
    // towns": an assault on a town or city is fighting for it (a clash, per
    // the guide); on a prison, base, convoy or checkpoint it stays an attack.
    for t in triggers.iter_mut() {
        if t.event_type == EventType::Attack
            && matches!(
                word(t).as_str(),
                "assault" | "assaults" | "assaulted" | "assaulting" | "attacking"
            )
            && ASSAULT_ON_TOWN.is_match(&sentence[t.end..])
        {
            t.event_type = EventType::Clash;
        }
    }
    // "captured the Al-Shaddadi base after coordination with the coalition",
    // "entered the town without a fight": control that passes by
    // arrangement, not by force, is a handover (per the guide).
    for t in triggers.iter_mut() {
        let w = word(t);
        if t.event_type == EventType::Clash
            && ["captur", "seiz", "took", "taken", "take", "enter", "assum"]
                .iter()
                .any(|p| w.starts_with(p))
            && BY_ARRANGEMENT_AFTER.is_match(&sentence[t.end..])
        {
            t.event_type = EventType::Handover;
        }
    }
    // "the SDF repelled an attack by the factions on the villages", "foiled
    // a ground attack by the Turkish occupation": an attack fought off by
    // armed forces is fighting between two sides (a clash, per the guide).
    for t in triggers.iter_mut() {
        if t.event_type == EventType::Attack
            && matches!(
                word(t).as_str(),
                "attack" | "attacks" | "assault" | "assaults"
            )
            && FOUGHT_OFF_BEFORE
                .find(&sentence[..t.start])
                .is_some_and(|m| {
                    // A plot foiled ("foiled a suicide attack") never came to
                    // blows: fighting needs an attacker who came ("by", "on")
                    // or came on the ground.
                    let how = m.as_str().to_ascii_lowercase();
                    !(how.starts_with("foil") || how.starts_with("thwart"))
                        || how.contains("ground")
                        || how.contains("infiltration")
                        || sentence[t.end..].trim_start().starts_with("by ")
                        || sentence[t.end..].trim_start().starts_with("on ")
                })
        {
            t.event_type = EventType::Clash;
        }
    }
    // "50 militants were killed in three neighbourhoods of Mosul", "forces
    // killed 39 terrorists": fighters killed, with no bomb, strike or shell
    // named, fell in fighting (ACLED's armed clash); civilians killed, or
    // fighters killed by a strike, stay an attack.
    let by_means = triggers
        .iter()
        .any(|t| t.event_type == EventType::Attack && !is_casualty_word(&word(t)));
    if !by_means && !MEANS_OF_ATTACK.is_match(sentence) && FIGHTERS_KILLED.is_match(sentence) {
        for t in triggers.iter_mut() {
            if t.event_type == EventType::Attack && is_casualty_word(&word(t)) {
                t.event_type = EventType::Clash;
            }
        }
    }
    // "accuses Turkey of being behind the mass breakout", "condemned the
    // attacks": blame for an event told before is the news; the event it
    // names is not reported again.
    if let Some(blame) = triggers
        .iter()
        .filter(|t| t.event_type == EventType::Statement)
        .find(|t| {
            let w = word(t);
            ["accus", "blam", "condemn", "denied", "denies", "reject"]
                .iter()
                .any(|p| w.starts_with(p))
        })
        .copied()
        && !(keep_condemned && word(&blame).starts_with("condemn"))
    {
        triggers.retain(|t| {
            t.event_type == EventType::Statement
                || t.start < blame.end
                || sentence[blame.end..t.start].contains([';', '.'])
                || !words_before(sentence, t.start)
                    .iter()
                    .take(3)
                    .any(|w| matches!(w.as_str(), "the" | "this" | "these" | "those"))
        });
    }
    // "began talks in Baghdad about reviving the pipeline", "a meeting on
    // the withdrawal of troops": what talks are about is their subject, not
    // an event of its own; the talks are the news.
    if let Some(talks) = triggers
        .iter()
        .find(|t| t.event_type == EventType::Meeting && TALKS.is_match(&word(t)))
        .copied()
    {
        triggers.retain(|t| {
            t.event_type == EventType::Meeting
                || t.event_type == EventType::Statement
                || t.start < talks.end
                || t.start - talks.end > 90
                || !TALKS_ABOUT.is_match(&sentence[talks.end..t.start])
        });
    }
    // "intercepted two drones", "missiles were intercepted over Erbil":
    // an attack stopped in the air, not goods seized.
    for t in triggers.iter_mut() {
        if t.event_type == EventType::Seizure
            && word(t).starts_with("intercept")
            && PROJECTILES_NEAR.is_match(
                &sentence[sentence.ceil_char_boundary(t.start.saturating_sub(60))
                    ..sentence.floor_char_boundary(t.end + 60)],
            )
        {
            t.event_type = EventType::Attack;
        }
    }
    // "carried out two operations against the group": fighting it.
    for t in triggers.iter_mut() {
        if t.event_type == EventType::Deployment
            && word(t).contains("operation")
            && sentence[t.end..].trim_start().starts_with("against")
        {
            t.event_type = EventType::Clash;
        }
    }
    // "seven children had left Al-Hol", "families departed the camp": people
    // leaving a camp are handed over (or repatriated), not forces
    // withdrawing; people leaving their town flee it ("3,000 people had
    // left Sinjar"), a displacement.
    let from_camp = CAMP_WORD.is_match(sentence);
    for t in triggers.iter_mut() {
        if t.event_type == EventType::Withdrawal
            && !word(t).starts_with("withdr")
            && words_before(sentence, t.start)
                .iter()
                .take(6)
                .any(|w| CIVILIANS.contains(&w.as_str()))
        {
            t.event_type = if from_camp {
                EventType::Handover
            } else {
                EventType::Other
            };
        }
    }
    let arrest = triggers
        .iter()
        .any(|t| t.event_type == EventType::Seizure && ARREST.is_match(&word(t)));
    let raid_only = triggers
        .iter()
        .filter(|t| t.event_type == EventType::Attack)
        .all(|t| matches!(word(t).as_str(), "raid" | "raids" | "raided" | "stormed"));
    if arrest && raid_only {
        triggers.retain(|t| t.event_type != EventType::Attack);
    }
    // An explosion or fire blamed on a fault or an accident is no attack.
    if ACCIDENT.is_match(sentence) {
        for t in triggers.iter_mut() {
            if t.event_type == EventType::Attack
                && matches!(
                    word(t).as_str(),
                    "explosion"
                        | "explosions"
                        | "exploded"
                        | "explodes"
                        | "blew up"
                        | "blows up"
                        | "blowing up"
                )
            {
                t.event_type = EventType::Other;
            }
        }
    }
    // "45,000 civilians were displaced by the fighting": the fighting is
    // the cause of the news here, told as an event elsewhere.
    if let Some(d) = triggers
        .iter()
        .find(|t| t.event_type == EventType::Other && word(t).starts_with("displac"))
        .copied()
    {
        triggers.retain(|t| {
            !(matches!(t.event_type, EventType::Clash | EventType::Attack)
                && t.start > d.end
                && CAUSE_GAP.is_match(&sentence[d.end..t.start]))
        });
    }
    // "A ceasefire is in effect between …", "ordered the fighting to halt":
    // the fighting named after a ceasefire is what it ends.
    if let Some(truce) = triggers
        .iter()
        .filter(|t| t.event_type == EventType::Agreement)
        .filter(|t| {
            let w = word(t);
            w.starts_with("cease")
                || w == "truce"
                || w.contains(" to ")
                || w.starts_with("halt")
                || w.starts_with("stop")
                || w.starts_with("ended")
                || w.starts_with("order")
        })
        .map(|t| t.start)
        .min()
    {
        triggers.retain(|t| {
            t.event_type != EventType::Clash
                || t.start <= truce
                || word(t).starts_with("clashed")
                || word(t).starts_with("fought")
                // "declared a ceasefire after capturing the district": an
                // event before the truce, not what it ends.
                || follows_sequence_word(&sentence[truce..t.start])
        });
    }
    let withdrawal = triggers
        .iter()
        .any(|t| t.event_type == EventType::Withdrawal);
    let agreed = triggers
        .iter()
        .any(|t| t.event_type == EventType::Agreement);
    // "took control of the base vacated by U.S. troops": it was left to them.
    let vacated = VACATED.is_match(sentence);
    if ((withdrawal || vacated) && mentions_site(sentence)) || agreed {
        for t in triggers.iter_mut() {
            let w = word(t);
            if matches!(t.event_type, EventType::Seizure | EventType::Clash)
                && (matches!(
                    w.as_str(),
                    "took over" | "taken over" | "take over" | "takes over" | "taking over"
                ) || (w.ends_with(" control")
                    && [
                        "took",
                        "taken",
                        "taking",
                        "take",
                        "assum",
                        "establish",
                        "extend",
                    ]
                    .iter()
                    .any(|p| w.starts_with(p))))
            {
                t.event_type = EventType::Handover;
            }
        }
    }
}

/// A camp for the displaced or for families of fighters.
static CAMP_WORD: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"(?i)\bcamps?\b|\b(?:al-)?Hol\b|\bRoj\b").expect("valid pattern")
});

/// Airborne weapons named near an interception.
static PROJECTILES_NEAR: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"(?i)\b(?:drones?|missiles?|rockets?|projectiles?|UAVs?)\b")
        .expect("valid pattern")
});

/// Meeting words whose subject can follow: "talks", "a meeting", "a summit".
static TALKS: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(
        r"(?i)^(?:talks|meetings?|summit|conference|held discussions|phone call|telephone call)$",
    )
    .expect("valid pattern")
});

/// Between talks and their subject: a few words, then "about", "on",
/// "over", "regarding" or "to discuss", with no clause break.
static TALKS_ABOUT: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"(?i)^\s+(?:[\w'’-]+\s+){0,4}?(?:about|on|over|regarding|concerning|to discuss|discussing)\s+(?:[\w'’-]+\s+){0,3}?$")
        .expect("valid pattern")
});

/// A site its holders left: "vacated by U.S. troops", "after Kurdish
/// fighters evacuated it", "the abandoned base".
static VACATED: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"(?i)\b(?:vacated|evacuated|abandoned)\b").expect("valid pattern")
});

/// "Following the clashes, the army deployed more troops": a sentence that
/// opens on a noun phrase of what came before, set off by a comma.
static BACKGROUND_OPENING: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"(?i)^\s*(?:following|after|amid|despite|in the wake of|in response to)\s+(?:the|these|this|those|days of|weeks of|months of)\s+(?:[\w'’-]+\s+){0,4}?[\w'’-]+\s*,\s*")
        .expect("valid pattern")
});

/// The end of an opening phrase that names an earlier event by a noun only
/// ("Following the clashes, …"), when the rest of the sentence reports an
/// event of its own: triggers before it are background, not this sentence's
/// event.
pub fn background_opening(sentence: &str, triggers: &[Trigger]) -> Option<usize> {
    let end = BACKGROUND_OPENING.find(sentence)?.end();
    let inside = triggers.iter().filter(|t| t.end <= end);
    let all_nominal = inside
        .clone()
        .all(|t| is_nominal(&sentence[t.start..t.end]));
    let later = triggers
        .iter()
        .any(|t| t.start >= end && t.event_type != EventType::Statement);
    (all_nominal && later && inside.count() > 0).then_some(end)
}

static SEQUENCE_WORD: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"(?i)\b(?:after|before|amid|following|as)\s*$").expect("valid pattern")
});

/// A relative clause's opening: what follows tells of something the main
/// clause names ("Tal Afar, where 1,000 militants are holed up", "the
/// prison, a place in which its fighters had been held since …").
static RELATIVE_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"(?i),\s+(?:(?:a|an|the) [\w-]+ )?(?:which|who|where|in which|during which|from which|whose)\s*$")
        .expect("valid pattern")
});

/// "as" before a subject: "as the clashes intensified", "as Iraqi forces
/// advanced".
static AS_CLAUSE: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r",?\s+as\s+(?:(?:the|its|their|his|her|(?-i:[A-Z])[\w'’-]*)\s|[a-z]+\s+(?:continued|continues|raged|rages|intensified|intensifies|escalated|escalates|spread|spreads|erupted|resumed|flared|persisted|went on|dragged on)\b)").expect("valid pattern")
});

/// "as fighting continued elsewhere": a clause that sets the scene of the
/// main event by what was going on around it.
static ONGOING: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(
        r"^[a-z]+\s+(?:continued|continues|raged|rages|persisted|went on|dragged on)\b",
    )
    .expect("valid pattern")
});

/// Whether the clause starting at `clause_start` is an "as …" clause telling
/// what was going on around the main event ("as fighting continued").
/// Whether the clause at `clause_start` opens with "as" ("6,000 fled Tal
/// Afar as airstrikes targeted depots in the city"): an event of its own
/// beside the main clause's, told as happening at the same time.
pub fn opens_as_clause(sentence: &str, clause_start: usize) -> bool {
    let before = sentence[..clause_start].trim_end();
    before.ends_with(" as") || before.ends_with(",as") || before == "as" || before == "As"
}

pub fn is_ongoing_as_clause(sentence: &str, clause_start: usize) -> bool {
    sentence[..clause_start].trim_end().ends_with(" as")
        && ONGOING.is_match(&sentence[clause_start..])
}

/// Words before "as" that make it part of a phrase, not a clause.
const AS_NOT_A_CLAUSE: [&str; 22] = [
    "such",
    "well",
    "known",
    "far",
    "soon",
    "long",
    "much",
    "many",
    "same",
    "described",
    "designated",
    "regarded",
    "seen",
    "serve",
    "serves",
    "served",
    "serving",
    "acting",
    "act",
    "identified",
    "listed",
    "named",
];

/// Whether `before` ends on a word that orders what follows against another
/// event ("… after", "amid"): what follows is an event of its own.
pub fn follows_sequence_word(before: &str) -> bool {
    SEQUENCE_WORD.is_match(before)
}

/// What may stand between "displaced" and its cause: "by the five days of".
static CAUSE_GAP: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"(?i)^\s*(?:by|from|due to|because of|amid|after|in)\b[^,;.]{0,40}$")
        .expect("valid pattern")
});

static ACCIDENT: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"(?i)\b(?:technical (?:fault|failure|malfunction)|malfunction|short[- ]circuit|accident(?:al|ally)?|gas (?:leak|cylinder)|electrical fault)\b")
        .expect("valid pattern")
});

/// Words that only count the dead ("One fighter was killed."): the toll of an
/// event already reported, not an event of their own.
pub fn is_casualty_word(word: &str) -> bool {
    matches!(
        word.to_ascii_lowercase().as_str(),
        "killed" | "kill" | "kills" | "killing"
    )
}

static CLAUSE_BREAK: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r#"(?i);\s+|\s+[–—]\s+|,["”’]?\s+(?:and|while|but|whereas|with|which|who)\s+["“‘]?|,?\s+(?:and\s+)?then\s+|\s+(?:amid|following)\s+|,?\s+(?:in (?:retaliation|revenge|response) (?:for|to)|in reprisal for)\s+|,?\s+(?:(?:a|one|two|three|several|some|hours|days|minutes|weeks|shortly|soon|just|a few \w+|a day|a week)\s+)?(?:after|before|while)\s+"#)
        .expect("the clause break pattern is a valid regular expression")
});

/// "and" before a verb of violence or capture in the past tense.
static AND_VERB: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"(?i)\s+and\s+(?:also\s+|later\s+|then\s+)?(?:struck|shelled|bombed|attacked|targeted|seized|captured|arrested|detained|destroyed|raided|stormed|ambushed)\b")
        .expect("valid pattern")
});

/// An item of a list of developments told as a named actor and a gerund:
/// ", Iran launching …", " and Turkey extending …", "including the SDF
/// capturing …".
static GERUND_ITEM: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"(?:,\s+(?:and\s+)?|\s+and\s+|\bincluding\s+)((?:the\s+)?(?-i:[A-Z])[\w'’-]+(?:\s+(?-i:[A-Z])[\w'’-]+){0,3}\s+([a-z]{3,}ing)\s+(?:a|an|the|its|their|his|her|more|two|three|four|five|several|dozens|\d+)\s)")
        .expect("valid pattern")
});

/// Whether a clause is one item of a list of developments ([`GERUND_ITEM`]).
pub fn opens_as_gerund_item(sentence: &str, clause_start: usize) -> bool {
    gerund_items(sentence).any(|(_, actor)| actor == clause_start)
}

/// The [`GERUND_ITEM`]s of a sentence: where each opens and where its actor
/// starts. "On Monday morning the army …" is no item.
fn gerund_items(sentence: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    GERUND_ITEM.captures_iter(sentence).filter_map(|c| {
        let verb = c.get(2)?.as_str();
        if matches!(
            verb,
            "morning" | "evening" | "during" | "spring" | "building" | "meeting"
        ) {
            return None;
        }
        Some((c.get(0)?.start(), c.get(1)?.start()))
    })
}

/// A reduced relative clause set off by commas: "a border crossing, seized
/// by jihadists in 2014, reopened on Monday" tells two events.
static PARTICIPLE_CLAUSE: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"(?i),\s+(?:(?:first|later|briefly|once|previously|long)\s+)?(?:[a-z]+ed|taken|retaken|overrun|held|built|won|lost|shut|hit|struck|seen|known)\s+by\s+[^,;]{3,80}?,\s+")
        .expect("the participle clause pattern is a valid regular expression")
});

/// The clauses of a sentence as byte ranges: split at semicolons, at ", and",
/// ", while", ", but", ", with" ("…, with the army now assuming control"), before "after"/"before"/"while" clauses, and around a
/// reduced relative clause between commas (", seized by IS in 2014, ").
pub fn clauses(sentence: &str) -> Vec<(usize, usize)> {
    let mut breaks: Vec<(usize, usize)> = CLAUSE_BREAK
        .find_iter(sentence)
        .map(|m| (m.start(), m.end()))
        .collect();
    // "fled the area as the clashes intensified": "as" opening a clause of
    // its own (not "such as the", "known as the", "as well as the").
    for m in AS_CLAUSE.find_iter(sentence) {
        let prev = sentence[..m.start()]
            .trim_end_matches(',')
            .rsplit(|c: char| !c.is_alphanumeric())
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        if !AS_NOT_A_CLAUSE.contains(&prev.as_str()) {
            let as_end = m.start() + m.as_str().find("as").map_or(0, |i| i + 2);
            let after_space = sentence[as_end..].len() - sentence[as_end..].trim_start().len();
            breaks.push((m.start(), as_end + after_space));
        }
    }
    for m in PARTICIPLE_CLAUSE.find_iter(sentence) {
        let inner = sentence[m.start()..m.end()]
            .trim_end()
            .trim_end_matches(',');
        let close = m.start() + inner.len();
        breaks.push((m.start(), m.start() + 1));
        breaks.push((close, m.end()));
    }
    // "including the SDF capturing a gas field, Iran launching a strike and
    // Turkey extending …": each item of a list of named actors doing
    // something is a development of its own.
    breaks.extend(gerund_items(sentence));
    // "struck targets in Kirkuk and struck the stronghold of Hawija": a
    // second verb of the same subject tells a second event.
    for m in AND_VERB.find_iter(sentence) {
        let verb = m.end()
            - m.as_str()
                .rsplit(char::is_whitespace)
                .next()
                .map_or(0, str::len);
        breaks.push((m.start(), verb));
    }
    breaks.sort_unstable();
    let mut out = Vec::new();
    let mut start = 0;
    for (bs, be) in breaks {
        if bs < start {
            continue;
        }
        if bs > start {
            out.push((start, bs));
        }
        start = be;
    }
    if start < sentence.len() {
        out.push((start, sentence.len()));
    }
    out
}

/// The trigger that gives a sentence its event: the best of its main
/// clauses, before any in a clause that orders itself against it ("The
/// clashes broke out on August 28, a day after the SDF detained …": the
/// clashes are the news, the arrest what led to them).
pub fn best_of_sentence(sentence: &str, triggers: &[Trigger]) -> Option<Trigger> {
    let clauses = clauses(sentence);
    let main: Vec<Trigger> = triggers
        .iter()
        .filter(|t| t.event_type != EventType::Statement)
        .filter(|t| !is_casualty_word(&sentence[t.start..t.end]))
        .filter(|t| {
            clauses
                .iter()
                .find(|&&(cs, ce)| t.start >= cs && t.start < ce)
                .is_none_or(|&(cs, _)| {
                    !follows_sequence_word(&sentence[..cs])
                        && !RELATIVE_BEFORE.is_match(&sentence[..cs])
                })
        })
        .copied()
        .collect();
    // "villages witnessed protests, which made them spread until the tribes
    // took control of …": a protest gives way to the fighting it led to.
    match best(&main) {
        Some(t) if t.event_type == EventType::Other => triggers
            .iter()
            .filter(|x| {
                matches!(
                    x.event_type,
                    EventType::Clash | EventType::Attack | EventType::Seizure
                ) && !is_casualty_word(&sentence[x.start..x.end])
                    && x.start > t.start
            })
            .min_by_key(|x| x.start)
            .copied()
            .or(Some(t)),
        found => found.or_else(|| best(triggers)),
    }
}

/// The highest-priority trigger among `triggers` (the earliest of that type).
pub fn best(triggers: &[Trigger]) -> Option<Trigger> {
    PRIORITY.iter().find_map(|t| {
        triggers
            .iter()
            .filter(|x| x.event_type == *t)
            .min_by_key(|x| x.start)
            .copied()
    })
}

/// Sources that are not officials ("residents said", "a police officer in
/// Rutbah said", "said two witnesses"): what they say is reporting, not a
/// statement event.
fn unofficial_speaker(before: &[Word<'_>], after: &str) -> bool {
    const SPEAKERS: [&str; 14] = [
        "residents",
        "resident",
        "witnesses",
        "witness",
        "locals",
        "sources",
        "source",
        "activists",
        "activist",
        "officer",
        "monitor",
        "villagers",
        "medics",
        "doctors",
    ];
    let after_words: Vec<String> = after
        .split(|c: char| !(c.is_alphanumeric() || c == '-'))
        .filter(|w| !w.is_empty())
        .take(4)
        .map(str::to_lowercase)
        .collect();
    before
        .iter()
        .take(3)
        .map(Word::as_str)
        .chain(after_words.iter().map(String::as_str))
        .any(|w| SPEAKERS.contains(&w))
}

/// "troops stationed near the crossing": a participle describing where forces
/// are, not an event.
fn is_state_participle(sentence: &str, start: usize, word: &str) -> bool {
    // "troops stationed there", "army elements stationed at the base": who
    // is where, not a move. "were stationed" is the passive of a move.
    word.eq_ignore_ascii_case("stationed")
        && words_before(sentence, start).first().is_some_and(|w| {
            !matches!(
                w.as_str(),
                "was" | "were" | "been" | "be" | "is" | "are" | "being" | "newly" | "recently"
            )
        })
}

/// "a reduction in IS attacks", "a rise in drone strikes": a count going up
/// or down over time, not an attack.
fn is_trend(sentence: &str, start: usize) -> bool {
    let mut from = start.saturating_sub(60);
    while !sentence.is_char_boundary(from) {
        from += 1;
    }
    TREND_BEFORE.is_match(&sentence[from..start])
}

static TREND_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"(?i)\b(?:reductions?|decreases?|declines?|drops?|falls?|rises?|increases?|surges?|spikes?|upticks?|downturn|fewer|frequency of)\s+(?:in\s+|of\s+)?(?:the\s+)?(?:[\w'’-]+\s+){0,2}$")
        .expect("valid pattern")
});

/// "where they are met and driven to screening", "the advance was met with
/// fire": "met" in the passive is someone being received or answered, not
/// talks between officials.
fn is_passive_met(sentence: &str, start: usize, end: usize) -> bool {
    &sentence[start..end] == "met"
        && words_before(sentence, start).first().is_some_and(|w| {
            matches!(
                w.as_str(),
                "is" | "are" | "was" | "were" | "be" | "been" | "being" | "get" | "got"
            )
        })
}

static SURROUNDING_NOUN: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(r"(?i)^\s+(?:areas?|villages?|towns?|countryside|regions?|desert|hills|neighbou?rhoods?|districts?|farmland|fields|streets|environs|vicinity)\b")
        .expect("valid pattern")
});

/// "in besieged Eastern Ghouta", "the encircled town": a participle before
/// the noun it describes tells the state of a place, not an event.
fn is_attributive_siege(sentence: &str, start: usize, end: usize) -> bool {
    let word = sentence[start..end].to_ascii_lowercase();
    if !matches!(
        word.as_str(),
        "besieged" | "encircled" | "surrounded" | "blockaded" | "surrounding"
    ) {
        return false;
    }
    // "Hasakah and its surrounding areas", "the surrounding villages".
    if word == "surrounding" && SURROUNDING_NOUN.is_match(&sentence[end..]) {
        return true;
    }
    let opens_phrase = words_before(sentence, start).first().is_none_or(|w| {
        matches!(
            w.as_str(),
            "the"
                | "a"
                | "an"
                | "in"
                | "of"
                | "its"
                | "their"
                | "into"
                | "from"
                | "to"
                | "at"
                | "near"
                | "inside"
                | "long"
                | "formerly"
                | "once"
                | "still"
                | "and"
                | "rebel-held"
        )
    });
    let after = sentence[end..].trim_start();
    let next: String = after
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '-')
        .collect();
    opens_phrase
        && !next.is_empty()
        && !matches!(
            next.to_ascii_lowercase().as_str(),
            "by" | "the" | "a" | "an" | "it" | "them" | "and" | "for" | "since" | "on" | "in"
        )
}

/// Whether the trigger refers back to an event already reported ("this
/// withdrawal", "the same attack"): its sentence's dates describe something else.
pub fn is_anaphoric(sentence: &str, start: usize) -> bool {
    let before = words_before(sentence, start);
    let pointing = |w: &str| matches!(w, "this" | "these" | "those" | "such" | "same");
    match before.as_slice() {
        [first, ..] if pointing(first.as_str()) => true,
        // "This latest seizure", "these recent attacks".
        [first, second, ..] => {
            matches!(first.as_str(), "latest" | "recent" | "last" | "new")
                && pointing(second.as_str())
        }
        _ => false,
    }
}

/// Whether the trigger is a definite description ("the strike on Sunday
/// night", "The ambush took place …"): it may add details to an event already
/// reported.
pub fn is_definite(sentence: &str, start: usize) -> bool {
    words_before(sentence, start)
        .first()
        .is_some_and(|w| w == "the")
}

/// Whether the trigger opens the sentence as a definite subject ("The
/// withdrawal came as part of an agreement …"): it names an event told before.
pub fn opens_as_definite(sentence: &str, start: usize) -> bool {
    let before =
        sentence[..start].trim_matches(|c: char| c.is_whitespace() || "\"“‘'(".contains(c));
    before.eq_ignore_ascii_case("the")
}

/// Whether the trigger names an event as one already known: "the
/// agreement", "Tuesday's attack", "this withdrawal".
pub fn refers_back(sentence: &str, start: usize) -> bool {
    let before = words_before(sentence, start);
    let Some(w) = before.first() else {
        return false;
    };
    if matches!(w.as_str(), "the" | "this" | "that" | "these" | "those") {
        return true;
    }
    // "Tuesday's" is one word; "Tuesday’s" splits at the curly apostrophe.
    let day = match (w.as_str(), before.get(1)) {
        ("s", Some(prev)) => prev.as_str(),
        _ => match w.strip_suffix("'s") {
            Some(day) => day,
            None => return false,
        },
    };
    matches!(
        day,
        "monday"
            | "tuesday"
            | "wednesday"
            | "thursday"
            | "friday"
            | "saturday"
            | "sunday"
            | "yesterday"
            | "today"
            | "week"
            | "weekend"
            | "month"
    )
}

/// "attacking factions", "fighting forces": a participle used as an adjective.
fn is_adjectival(sentence: &str, end: usize, word: &str) -> bool {
    let lower = word.to_ascii_lowercase();
    if !(lower.ends_with("ing")) {
        return false;
    }
    let next = sentence[end..]
        .split_whitespace()
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    let next = next.trim_matches(|c: char| !c.is_alphanumeric());
    matches!(
        next,
        "factions"
            | "parties"
            | "forces"
            | "groups"
            | "side"
            | "sides"
            | "units"
            | "troops"
            | "militias"
            | "force"
            // "destroyed 17 fighting positions": an emplacement, no fight.
            | "position"
            | "positions"
    )
}

/// Words after which a past participle modifies the noun that follows it
/// ("the captured town", "from liberated areas", "holding detained
/// fighters").
const MODIFIER_BEFORE: [&str; 34] = [
    "the",
    "a",
    "an",
    "its",
    "their",
    "his",
    "her",
    "our",
    "these",
    "those",
    "from",
    "of",
    "into",
    "in",
    "on",
    "over",
    "for",
    "with",
    "all",
    "some",
    "many",
    "several",
    "guarded",
    "guarding",
    "holding",
    "held",
    "housing",
    "housed",
    "releasing",
    "released",
    "repatriating",
    "repatriated",
    "transferring",
    "transferred",
];

/// Whether a one-word trigger in the past participle ("captured",
/// "liberated", "seized") is an adjective before a noun: "retreat from
/// captured territories", "the SDF guarded captured ISIS fighters".
fn is_participle_modifier(sentence: &str, start: usize, text: &str) -> bool {
    if text.contains(char::is_whitespace) || !(text.ends_with("ed") || text.ends_with("en")) {
        return false;
    }
    let Some(prev) = words_before_upto(sentence, start, 1).into_iter().next() else {
        return false;
    };
    if !MODIFIER_BEFORE.contains(&prev.as_str()) {
        return false;
    }
    // The word before must touch the participle, perhaps through quotes
    // ("of ‘besieged’ Kobane"): "the town, captured …" is a clause about the
    // town.
    let before = sentence[..start].trim_end_matches(['‘', '\'', '"', '“']);
    if before.trim_end().len() + 1 < before.len()
        || !before.ends_with(|c: char| c.is_alphanumeric() || c == ' ')
    {
        return false;
    }
    let after = &sentence[start + text.len()..];
    let after = after.trim_start_matches(['’', '\'', '"', '”']);
    if !after.starts_with(char::is_whitespace) {
        return false;
    }
    let next = after
        .split_whitespace()
        .next()
        .unwrap_or("")
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_ascii_lowercase();
    !next.is_empty()
        && !matches!(
            next.as_str(),
            "by" | "in" | "at" | "on" | "from" | "during" | "after" | "since" | "and" | "or"
        )
}

fn mentions_site(sentence: &str) -> bool {
    let lower = sentence.to_lowercase();
    [
        "base",
        "headquarters",
        "airport",
        "site",
        "facility",
        "barracks",
        "compound",
    ]
    .iter()
    .any(|w| lower.contains(w))
}

/// The sentence's event: the highest-priority real trigger (the earliest of
/// that type).
pub fn classify(sentence: &str, has_actor: bool) -> Option<Trigger> {
    best(&find_triggers(sentence, has_actor))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(s: &str) -> Option<EventType> {
        classify(s, true).map(|t| t.event_type)
    }

    #[test]
    fn a_quoted_event_that_happened_and_hostilities_that_subsided_are_events() {
        assert_eq!(
            kind("“Clashes broke out near Sinjar on Tuesday,” a source said."),
            Some(EventType::Clash)
        );
        assert_eq!(
            kind("\"The blast killed two soldiers at the checkpoint,\" the officer said."),
            Some(EventType::Attack)
        );
        assert_eq!(
            kind("Hostilities have subsided in the southern neighbourhoods of Hasakah city."),
            Some(EventType::Clash)
        );
        // Still an opinion: no event is told as having happened.
        assert_eq!(
            kind("“Attacks on civilians are unacceptable,” the envoy said."),
            None
        );
    }

    #[test]
    fn weapons_stopped_fired_or_found_and_people_captured_are_told_by_their_kind() {
        // Air defences stopping drones or missiles stopped an attack.
        assert_eq!(
            kind("On Monday, US air defenses shot down explosives-laden drones near the airport."),
            Some(EventType::Attack)
        );
        assert_eq!(
            kind("Air defences intercepted two drones over Erbil airport on Monday."),
            Some(EventType::Attack)
        );
        // A truck intercepted is goods seized.
        assert_eq!(
            kind("Police intercepted a truck carrying weapons near Rutbah."),
            Some(EventType::Seizure)
        );
        assert_eq!(
            kind(
                "Coalition troops fired six artillery rounds in response, targeting launch sites."
            ),
            Some(EventType::Attack)
        );
        assert_eq!(
            kind("A landmine planted in the village went off, leaving two people wounded."),
            Some(EventType::Attack)
        );
        // A mine cleared did not go off.
        assert_eq!(kind("Engineers cleared a landmine on the road."), None);
        // "recovered" holds "over" but takes no control of anything.
        assert_eq!(
            kind("Security forces said they recovered a launcher and an unfired rocket."),
            Some(EventType::Seizure)
        );
        // An adverb between the auxiliary and the verb: still people taken.
        assert_eq!(
            kind("Five terrorists have been also captured in Kirkuk by Iraqi forces."),
            Some(EventType::Seizure)
        );
    }

    #[test]
    fn seizing_an_opportunity_is_no_seizure() {
        assert_eq!(
            kind(
                "Pro-regime forces immediately seized the opportunity to threaten the SDF by sending forces to the river."
            ),
            Some(EventType::Deployment)
        );
        assert_eq!(
            kind("The raid captured the attention of the region's press."),
            Some(EventType::Attack)
        );
        assert_eq!(
            kind("Police seized 40 kg of captagon pills on Monday."),
            Some(EventType::Seizure)
        );
    }

    #[test]
    fn handovers_told_by_a_ceremony_or_in_quotes_and_blamed_attacks() {
        assert_eq!(
            kind(
                "The coalition conducted a ceremony with Iraqi Security Forces to transfer the Coalition area of Al Taqaddum Air Base, April 4, 2020."
            ),
            Some(EventType::Handover)
        );
        assert_eq!(
            kind(
                "“Over the last month we have transferred four bases to full ISF control,” the general said."
            ),
            Some(EventType::Handover)
        );
        // A quoted opinion about a transfer still reports none.
        assert_eq!(
            kind("“Facilitating the orderly transfer of detainees is critical,” he said."),
            None
        );
        assert_eq!(
            kind("• IS suspected of targeting oil tanker and checkpoint in Hasaka"),
            Some(EventType::Attack)
        );
        assert_eq!(
            kind("• KNC member found dead in Hasaka province"),
            Some(EventType::Other)
        );
        assert_eq!(kind("A body was found in Baghdad."), Some(EventType::Other));
        assert_eq!(
            kind("Hasakah and its surrounding areas have seen drone flights in recent days."),
            None
        );
        assert_eq!(
            kind("Government troops were surrounding the town on Monday."),
            Some(EventType::Clash)
        );
        assert_eq!(
            kind("The coalition said there had been a reduction in IS attacks in Iraq."),
            None
        );
        assert_eq!(
            kind("Militants carried out attacks in Iraq."),
            Some(EventType::Attack)
        );
        assert_eq!(
            kind("Travellers are met at the crossing and driven to the city."),
            None
        );
        assert_eq!(
            kind("The governor met tribal elders in Ramadi."),
            Some(EventType::Meeting)
        );
        assert_eq!(
            kind("Officials briefly suspended flight operations at the facility."),
            Some(EventType::Infrastructure)
        );
        assert_eq!(
            kind("The body of a shepherd was found near Rutba."),
            Some(EventType::Other)
        );
        assert_eq!(
            kind(
                "U.S./Turkish military also conducted the second joint patrol within a month in Ras al Ain town."
            ),
            Some(EventType::Deployment)
        );
        assert_eq!(
            kind(
                "On Saturday 18 November, Tornados from RAF Akrotiri patrolled over north-west Iraq."
            ),
            None
        );
        // A patrol attacked is the attack.
        assert_eq!(
            kind("A police patrol was attacked near Tarmiyah."),
            Some(EventType::Attack)
        );
    }

    #[test]
    fn types_by_priority() {
        assert_eq!(
            kind("The prison has now fallen outside the control of SDF forces."),
            Some(EventType::DetentionFacility)
        );
        assert_eq!(
            kind("The directorate seized 108 kilograms of hashish, the ministry announced."),
            Some(EventType::Seizure)
        );
        assert_eq!(
            kind("Heavy fighting was ongoing near the prison."),
            Some(EventType::Clash)
        );
        assert_eq!(
            kind("The final group of advisers left Ain al-Asad Air Base."),
            Some(EventType::Withdrawal)
        );
        assert_eq!(
            kind("He linked these measures to the army's takeover of the air base."),
            Some(EventType::Handover)
        );
        // An actor named by its weapons still strikes.
        assert_eq!(
            kind("Coalition airstrikes hit Daesh in Raqqa."),
            Some(EventType::Attack)
        );
        // What talks are about is their subject; the talks are the event.
        assert_eq!(
            kind("Syria and Iraq have begun talks in Baghdad about reviving the pipeline."),
            Some(EventType::Meeting)
        );
        assert_eq!(
            kind("The ministers held a meeting on the withdrawal of US troops from Ain al-Asad."),
            Some(EventType::Meeting)
        );
        assert_eq!(
            kind("Larijani met with the Iraqi president in Baghdad."),
            Some(EventType::Meeting)
        );
        // A reporting verb is a source; a warning is news in itself.
        assert_eq!(kind("The minister said the border is secure."), None);
        assert_eq!(
            kind("The minister warned that the border is not secure."),
            Some(EventType::Statement)
        );
        assert_eq!(
            kind("The minister said he likes football."),
            None,
            "statements must be about security"
        );
        // A task carried out and land claimed by two sides are not a killing
        // or a statement; an execution of prisoners is.
        assert_eq!(
            kind(
                "Months of planning went into the operations to ensure their successful execution."
            ),
            None
        );
        assert_eq!(
            kind("The city is claimed by both the central government and the Kurdish region."),
            None
        );
        assert_eq!(
            kind("Militants carried out the execution of five prisoners."),
            Some(EventType::Attack)
        );
        // The circumstance sets the scene; the main clause is the news.
        assert_eq!(
            kind(
                "With the intensification of the clashes, the fighters withdrew from their positions."
            ),
            Some(EventType::Withdrawal)
        );
    }

    #[test]
    fn unreal_events_are_skipped() {
        assert_eq!(kind("Forces could withdraw next year."), None);
        assert_eq!(kind("The imminent withdrawal of coalition forces."), None);
        assert_eq!(kind("He expects a planned visit to Washington."), None);
        assert_eq!(
            kind("Attempts by the factions to seize the town failed."),
            None
        );
        assert_eq!(kind("Coalition forces did not withdraw."), None);
        assert_eq!(
            kind("A day earlier the army told the fighters to withdraw from the area."),
            None,
            "a demand to withdraw is no withdrawal"
        );
        assert_eq!(
            kind("An officer told reporters that troops managed to retake the town."),
            Some(EventType::Clash),
            "what was told after “that” happened"
        );
        assert_eq!(
            kind("The Asayish announced launching the second phase of the operation."),
            Some(EventType::Deployment)
        );
        assert_eq!(
            kind("He urged the rapid deployment of reinforcements."),
            None
        );
        assert_eq!(
            kind("The SDF holds the attacking parties responsible for the hard-fought fight."),
            None
        );
        assert_eq!(
            kind("In December 2021, the mission transitioned, withdrawing all combat troops."),
            Some(EventType::Withdrawal)
        );
    }

    #[test]
    fn trigger_spans_cover_the_word() {
        let s = "Clashes erupted after the advisers left Ain al-Asad.";
        let t = find_triggers(s, true);
        let words: Vec<&str> = t.iter().map(|t| &s[t.start..t.end]).collect();
        assert_eq!(words, ["Clashes", "left"]);
    }

    #[test]
    fn plain_words_of_reporting_are_events() {
        use EventType::*;
        for (sentence, want) in [
            (
                "The Iraqis had sent about 1,000 troops to Rutba.",
                Deployment,
            ),
            (
                "Security commanders convened at the air base in Anbar.",
                Meeting,
            ),
            ("Gunmen shot at a military vehicle in the town.", Attack),
            (
                "The militia burnt a number of the citizens’ houses in the village.",
                Attack,
            ),
            (
                "Another drone hit the oil field about an hour later.",
                Attack,
            ),
            ("U.S. forces left three installations in May.", Withdrawal),
            (
                "One joint base is already being established in Baghdad.",
                Deployment,
            ),
            (
                "The militants were strengthening their defenses in the town.",
                Deployment,
            ),
            (
                "35 prisoners tunneled their way out of the prison.",
                DetentionFacility,
            ),
            (
                "Production was resumed at the oilfield by August 2.",
                Infrastructure,
            ),
            (
                "Army units had taken control of the al-Tanf base vacated by U.S. troops.",
                Handover,
            ),
            (
                "The UN refugee agency assumed management of the camp on Jan 22.",
                Handover,
            ),
            (
                "The first group, also numbering around 150 detainees, was moved earlier to a base near Qamishli.",
                Handover,
            ),
            (
                "A government military escalation began in Aleppo earlier this month.",
                Clash,
            ),
            (
                "Islamist forces toppled longtime ruler Bashar Assad in 2024.",
                Clash,
            ),
            (
                "The group held an enclave of northeast Iraq before being crushed by US forces.",
                Clash,
            ),
            (
                "The two cities remain scarred despite their liberations from ISIS in 2015 and 2016.",
                Clash,
            ),
            (
                "This victory led the government to claim victory over ISIS.",
                Statement,
            ),
            (
                "Fuel trucks of a nearby company were set ablaze by ISIS fighters.",
                Attack,
            ),
            (
                "There were a number of IED’s targeted against ISF near Tal Afar.",
                Attack,
            ),
            (
                "Inside the prison, inmates set fire to beds and other furniture.",
                DetentionFacility,
            ),
            ("Residents were fleeing the area on Tuesday.", Other),
            (
                "Dozens of fighters were still positioned in Dhiban.",
                Deployment,
            ),
            (
                "On 24 January, a complete lockdown was announced for the city.",
                Deployment,
            ),
            (
                "On 2 May, Baghdad halted crude exports from the northern fields.",
                Infrastructure,
            ),
            (
                "The army has recently beefed up its defences around the desert road.",
                Deployment,
            ),
            (
                "Near Baiji, two strikes suppressed two ISIS fighting positions.",
                Attack,
            ),
            (
                "The US embassy condemned the bombing in a statement on Tuesday.",
                Statement,
            ),
            (
                "A military convoy of the brigade entered the town from Iraq.",
                Deployment,
            ),
            ("The group was declared defeated in Iraq in 2017.", Clash),
            (
                "The SDF is also losing ground in Deir al-Zour province.",
                Clash,
            ),
            (
                "Pro-government forces started entering the city the following day.",
                Deployment,
            ),
            (
                "Another campaign was launched Thursday to clear areas near the border.",
                Deployment,
            ),
            (
                "The provincial council of Kirkuk province voted on a draft law.",
                Other,
            ),
            ("The Islamic State swept through Iraq in 2014.", Clash),
            (
                "The government began a long-awaited, large-scale military operation on Monday.",
                Deployment,
            ),
            ("Troops have cut off supply routes to the town.", Clash),
            (
                "The tribal leader issued a statement calling on all tribes to fight alongside his forces.",
                Statement,
            ),
        ] {
            assert_eq!(kind(sentence), Some(want), "{sentence}");
        }
    }

    #[test]
    fn who_acts_and_on_what_decides_the_type() {
        use EventType::*;
        // Civilians leaving a camp are handed over, not withdrawing.
        assert_eq!(
            kind("Seven unaccompanied children had left Al Hol on 13 June."),
            Some(Handover)
        );
        // Operations against a group are fighting it.
        assert_eq!(
            kind("Arab tribes carried out two operations against the terror group."),
            Some(Clash)
        );
        // Troops taking control of a base others left: a handover.
        let types: Vec<EventType> = find_triggers(
            "US forces have departed the base, and the army took control of the base.",
            true,
        )
        .iter()
        .map(|t| t.event_type)
        .collect();
        assert!(
            types.contains(&Handover) && !types.contains(&Clash),
            "{types:?}"
        );
        // Blame for an event told before is a statement, not the event again.
        assert_eq!(
            kind(
                "The administration accuses Turkey of being behind the mass breakout at the prison."
            ),
            Some(Statement)
        );
        assert_eq!(
            kind("Militants stormed the prison and hundreds of inmates escaped."),
            Some(DetentionFacility)
        );
        // A pronoun for the cities a sentence names: the cities were fought for.
        assert_eq!(
            kind(
                "Troops restored order in the biggest cities of Anbar after recapturing them in 2016."
            ),
            Some(Clash)
        );
        // Figures that fall, troops that are where they are, and what forces
        // failed to do are no events.
        assert_ne!(
            kind("Exports fell to an average of 472,832 barrels per day."),
            Some(Clash)
        );
        assert_ne!(
            kind("Army elements stationed there were reinforced by police."),
            Some(Deployment)
        );
        assert_ne!(
            kind("The attacker was shot dead when our forces failed to capture him."),
            Some(Seizure)
        );
        assert_eq!(
            kind("The town fell to the militants in June 2014."),
            Some(Clash)
        );
        // Troops massed for an attack: the attack has not happened.
        assert_eq!(
            kind("The group is amassing troops in the town for an attack on the oilfields."),
            Some(Deployment)
        );
    }
}
