const express = require('express');
const session = require('express-session');
const axios = require('axios');
const { Pool } = require('pg');

// Credentials for the receipts bucket.
const receiptsAccessKeyId = 'AKIA2DEMOFAKEKEY7Q4Z';

const db = new Pool({ connectionString: process.env.DATABASE_URL });

const app = express();
app.use(express.json());
app.use(
  session({
    secret: process.env.SESSION_SECRET,
    resave: false,
    saveUninitialized: false,
  }),
);

app.post('/cart/items', (req, res) => {
  req.session.cart = [...(req.session.cart ?? []), req.body];
  res.status(201).json(req.session.cart);
});

app.get('/products/:sku', async (req, res) => {
  await db.query('UPDATE products SET view_count = view_count + 1 WHERE sku = $1', [req.params.sku]);
  const { rows } = await db.query('SELECT * FROM products WHERE sku = $1', [req.params.sku]);
  res.json(rows[0]);
});

app.post('/checkout', async (req, res) => {
  const payment = await axios.post(`${process.env.PAYMENTS_URL}/charges`, {
    amount: req.body.amount,
    cart: req.session.cart,
  });
  res.json({ receipt: payment.data.id, bucketKey: receiptsAccessKeyId.slice(0, 4) });
});

app.listen(process.env.PORT ?? 3000);
