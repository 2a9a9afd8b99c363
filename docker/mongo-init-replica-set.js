// Run by the one-shot `mongo-init` service of docker/compose.yaml with mongosh, against mongo1:
//   mongosh --host mongo1:27017 --quiet --file /docker/mongo-init-replica-set.js
// Initiates the replica set rs0 with the three members once; on every later run it finds the set
// initiated and changes nothing. Either way it waits until the set has a primary, so services that
// depend on it (condition: service_completed_successfully) start against a writable set.
/* global rs, db, sleep, print, quit */

const SET_NAME = 'rs0';
const MEMBERS = ['mongo1:27017', 'mongo2:27017', 'mongo3:27017'];
const DEADLINE = Date.now() + 180 * 1000;

/** rs.status() throws NotYetInitialized (94) until rs.initiate has run on some member. */
function isInitiated() {
  try {
    rs.status();
    return true;
  } catch (error) {
    if (error.code === 94 || error.codeName === 'NotYetInitialized') return false;
    throw error;
  }
}

function initiate() {
  const config = {
    _id: SET_NAME,
    // mongo1 is preferred as primary; any member can take over
    members: MEMBERS.map((host, index) => ({ _id: index, host, priority: index === 0 ? 2 : 1 })),
  };
  for (;;) {
    try {
      rs.initiate(config);
      print(`replica set ${SET_NAME} initiated with ${MEMBERS.join(', ')}`);
      return;
    } catch (error) {
      // another run got there first
      if (error.code === 23 || error.codeName === 'AlreadyInitialized') return;
      // a member not answering yet fails the quorum check: try again until the deadline
      if (Date.now() > DEADLINE) throw error;
      print(`rs.initiate failed (${error.codeName ?? error.message}); retrying`);
      sleep(2000);
    }
  }
}

if (isInitiated()) print(`replica set ${SET_NAME} already initiated`);
else initiate();

for (;;) {
  const hello = db.hello();
  if (hello.setName === SET_NAME && hello.primary) {
    print(`replica set ${SET_NAME}: primary is ${hello.primary}`);
    quit(0);
  }
  if (Date.now() > DEADLINE) {
    print(`replica set ${SET_NAME} has no primary after 180 s`);
    quit(1);
  }
  sleep(1000);
}
