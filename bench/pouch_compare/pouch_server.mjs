/**
 * The peer's server: express-pouchdb over PouchDB's LevelDB adapter (pouchdb-node), on
 * loopback, in a process of its own as our API is. Prints "ready <port>".
 *
 *   node bench/pouch_compare/pouch_server.mjs <data dir>
 */

import express from "express";
import expressPouchDB from "express-pouchdb";
import PouchDB from "pouchdb-node";

const dir = process.argv[2].replace(/\/?$/, "/");
const Pouch = PouchDB.defaults({ prefix: dir });
const app = express();
app.use("/", expressPouchDB(Pouch, { mode: "minimumForPouchDB", logPath: `${dir}log.txt` }));
const server = app.listen(0, "127.0.0.1", () => console.log(`ready ${server.address().port}`));
